// Every public Tensor method and accessor carries a TSDoc comment, so an
// editor's hover says what it computes, as PyTorch's docstrings do in Python.
// Read with the TypeScript compiler API rather than a regex, so overloads,
// getters, setters and computed names ([Symbol.iterator]) are all seen.
import * as fs from 'node:fs';
import * as path from 'node:path';
import test from 'ava';
import * as ts from 'typescript';

const file = path.join(__dirname, '..', 'lib', 'tensor.ts');

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
    const hasDoc = ts.getJSDocCommentsAndTags(member).some((doc) => ts.isJSDoc(doc) && doc.comment !== undefined && ts.getTextOfJSDocComment(doc.comment)!.trim() !== '');
    documented.set(name, (documented.get(name) ?? false) || hasDoc);
  }
  t.true(documented.size > 100, `found only ${documented.size} members of Tensor; did the class move?`);
  const missing = [...documented].filter(([, ok]) => !ok).map(([name]) => name);
  t.deepEqual(missing, [], `Tensor members without a doc comment: ${missing.join(', ')}`);
});
