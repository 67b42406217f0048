// Every public Tensor method and accessor carries a TSDoc comment, so an
// editor's hover says what it computes, as PyTorch's docstrings do in Python.
// Read with the TypeScript compiler API rather than a regex, so overloads,
// getters, setters and computed names ([Symbol.iterator]) are all seen.
import * as fs from 'node:fs';
import * as path from 'node:path';
import test from 'ava';
import * as ts from 'typescript';

const lib = path.join(__dirname, '..', 'lib');
const file = path.join(lib, 'tensor.ts');

function hasDocComment(node: ts.Node): boolean {
  return ts.getJSDocCommentsAndTags(node).some((doc) => ts.isJSDoc(doc) && doc.comment !== undefined && ts.getTextOfJSDocComment(doc.comment)!.trim() !== '');
}

function isExported(statement: ts.Statement): boolean {
  const modifiers = ts.canHaveModifiers(statement) ? ts.getModifiers(statement) ?? [] : [];
  return modifiers.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
}

function isPublic(member: ts.ClassElement): boolean {
  const modifiers = ts.canHaveModifiers(member) ? ts.getModifiers(member) ?? [] : [];
  if (modifiers.some((m) => m.kind === ts.SyntaxKind.PrivateKeyword || m.kind === ts.SyntaxKind.ProtectedKeyword)) return false;
  return !(member.name !== undefined && ts.isPrivateIdentifier(member.name));
}

test('every public method and accessor of class Tensor in lib/tensor.ts has a doc comment', (t) => {
  const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const tensor = source.statements.find((s): s is ts.ClassDeclaration => ts.isClassDeclaration(s) && s.name?.text === 'Tensor');
  if (tensor === undefined) return t.fail('no class Tensor in lib/tensor.ts');
  // A name is documented when any of its declarations (an overload, the getter
  // or the setter) has a comment: the editor shows it on each.
  const documented = new Map<string, boolean>();
  for (const member of tensor.members) {
    const kind = member.kind;
    if (kind !== ts.SyntaxKind.MethodDeclaration && kind !== ts.SyntaxKind.GetAccessor && kind !== ts.SyntaxKind.SetAccessor) continue;
    if (!isPublic(member) || member.name === undefined) continue;
    const name = member.name.getText(source);
    documented.set(name, (documented.get(name) ?? false) || hasDocComment(member));
  }
  t.true(documented.size > 100, `found only ${documented.size} members of Tensor; did the class move?`);
  const missing = [...documented].filter(([, ok]) => !ok).map(([name]) => name);
  t.deepEqual(missing, [], `Tensor members without a doc comment: ${missing.join(', ')}`);
});

// The hand-written torch.* functions: every exported function (each overload
// group counted once) and exported const in lib/functional.ts (torch/functional.py's),
// lib/factories.ts and lib/functions.ts (now little but re-exports: the rest is generated).
// nn.functional too (lib/nn/functional.ts and the parts it re-exports from
// lib/nn/_functional/), where a leading underscore marks, as in Python, a
// name that is not public (a module's pre-bound twin, a helper).
const functionalParts = fs.readdirSync(path.join(lib, 'nn', '_functional')).filter((f) => f.endsWith('.ts') && !f.startsWith('_')).map((f) => [`nn/_functional/${f}`, 1] as const);
for (const [name, least] of [['functional.ts', 10], ['factories.ts', 10], ['functions.ts', 1], ['nn/functional.ts', 10], ...functionalParts] as const) {
  const skipPrivate = name.startsWith('nn/');
  test(`every exported function in lib/${name} has a doc comment`, (t) => {
    const source = ts.createSourceFile(name, fs.readFileSync(path.join(lib, name), 'utf8'), ts.ScriptTarget.Latest, true);
    const documented = new Map<string, boolean>();
    for (const statement of source.statements) {
      if (!isExported(statement)) continue;
      const declared = ts.isFunctionDeclaration(statement) ? statement.name?.text : ts.isVariableStatement(statement) ? statement.declarationList.declarations[0]?.name.getText(source) : undefined;
      if (skipPrivate && declared?.startsWith('_')) continue;
      if (ts.isFunctionDeclaration(statement) && statement.name !== undefined) {
        const fn = statement.name.text;
        documented.set(fn, (documented.get(fn) ?? false) || hasDocComment(statement));
      } else if (ts.isVariableStatement(statement)) {
        for (const declaration of statement.declarationList.declarations) documented.set(declaration.name.getText(source), hasDocComment(declaration));
      }
    }
    t.true(documented.size >= least, `found only ${documented.size} exported functions in lib/${name}`);
    const missing = [...documented].filter(([, ok]) => !ok).map(([fn]) => fn);
    t.deepEqual(missing, [], `exported functions of lib/${name} without a doc comment: ${missing.join(', ')}`);
  });
}
