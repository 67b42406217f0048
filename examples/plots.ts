// The notebook's figures, drawn by Vega-Lite (a real plotting library from
// the npm registry) to SVG and rendered to PNG by resvg.
import * as fs from 'node:fs';
import * as path from 'node:path';

type Spec = Record<string, unknown>;

async function render(spec: Spec, file: string): Promise<string[]> {
  const vega = await import('vega');
  const vl = await import('vega-lite');
  const { Resvg } = await import('@resvg/resvg-js');
  const view = new vega.View(vega.parse(vl.compile({ $schema: 'https://vega.github.io/schema/vega-lite/v5.json', ...spec } as any).spec), {
    renderer: 'none',
  });
  const svg = await view.toSVG();
  view.finalize();
  const png = new Resvg(svg, { background: 'white', font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' } }).render().asPng();
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(`${file}.svg`, svg);
  fs.writeFileSync(`${file}.png`, png);
  return [`${file}.png`, `${file}.svg`];
}

/** The notebook's visualize_first_4: the first four images, titled with their labels. */
export function imageGrid(images: number[][][], titles: string[], file: string): Promise<string[]> {
  const panels = images.map((img, k) => ({
    title: titles[k],
    width: 140,
    height: 140,
    data: { values: img.flatMap((row, y) => row.map((v, x) => ({ x, y, v }))) },
    mark: 'rect',
    encoding: {
      x: { field: 'x', type: 'ordinal', axis: null },
      y: { field: 'y', type: 'ordinal', axis: null },
      color: { field: 'v', type: 'quantitative', scale: { scheme: 'greys', domain: [0, 1] }, legend: null },
    },
  }));
  return render({ title: 'First four training images', hconcat: panels }, file);
}

/** Loss curves of several models in one plot. */
export function lossCurves(curves: number[][], file: string): Promise<string[]> {
  const values = curves.flatMap((curve, m) => curve.map((loss, i) => ({ iteration: i, loss, model: `Model ${m + 1}` })));
  return render(
    {
      title: 'Comparison of Model Loss Convergence',
      width: 900,
      height: 560,
      data: { values },
      mark: { type: 'line', strokeWidth: 1.2 },
      encoding: {
        x: { field: 'iteration', type: 'quantitative', title: 'Iterations' },
        y: { field: 'loss', type: 'quantitative', title: 'Smoothed Loss' },
        color: { field: 'model', type: 'nominal', sort: null, title: null, legend: { orient: 'top-right' } },
      },
    },
    file,
  );
}

/** Per-class accuracy of each model as grouped bars. */
export function accuracyBars(perClass: number[][], classNames: string[], file: string): Promise<string[]> {
  const values = perClass.flatMap((accs, m) => accs.map((accuracy, c) => ({ cls: classNames[c], accuracy, model: `Model ${m + 1}` })));
  return render(
    {
      title: 'Per-class accuracy on the test set',
      width: 900,
      height: 420,
      data: { values },
      mark: 'bar',
      encoding: {
        x: { field: 'cls', type: 'nominal', sort: null, title: 'Class', axis: { labelAngle: 0 } },
        xOffset: { field: 'model', type: 'nominal', sort: null },
        y: { field: 'accuracy', type: 'quantitative', title: 'Accuracy', scale: { domain: [0, 1] } },
        color: { field: 'model', type: 'nominal', sort: null, title: null, legend: { orient: 'bottom', columns: 5 } },
      },
    },
    file,
  );
}
