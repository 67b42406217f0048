// Preloaded by scripts/asan.sh into the test files and scripts it runs:
// LeakSanitizer's own check at exit never runs in Node (not even the positive
// control's leak was reported), so a process that loaded the addon asks the
// ASan build's entry for the check when it exits.
'use strict';
process.on('exit', () => {
  const loaded = Object.keys(require.cache).find((f) => /[\\/]lib[\\/]native\.ts$/.test(f));
  if (loaded) require.cache[loaded].exports.native.asanControl?.('check');
});
