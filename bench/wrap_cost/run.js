// node bench/wrap_cost/run.js ADDON: ns per call of each way (wrapper made,
// two arguments unwrapped, and the wrapper's later collection), five
// alternating rounds of 1M calls: the median and the fastest.
const a = require(require('path').resolve(process.argv[2]));
const N = 1e6;
function once(fn, x, y) {
  let r;
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < N; i++) r = fn(x, y);
  return Number(process.hrtime.bigint() - t0) / N;
}
const v8seed = a.opV8(a.boilerplate, a.boilerplate);
const nseed = a.seedNapi();
const ways = { v8_clone: [a.opV8, v8seed], napi_class_wrap: [a.opNapi, nseed], napi_object_wrap: [a.opNapiObject, nseed] };
for (const [f, x] of Object.values(ways)) for (let i = 0; i < 3e5; i++) f(x, x);
const res = {};
for (let round = 0; round < 5; round++) for (const [k, [f, x]] of Object.entries(ways)) (res[k] ??= []).push(once(f, x, x));
const out = {};
for (const [k, v] of Object.entries(res)) { v.sort((p, q) => p - q); out[k] = `${v[2].toFixed(0)} ns (min ${v[0].toFixed(0)})`; }
console.log(process.version, JSON.stringify(out), 'rss', (process.memoryUsage().rss / 2 ** 20).toFixed(0), 'MB');
