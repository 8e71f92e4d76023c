// Generates CVSS test vectors and scores them with two independent
// implementations: the score written is ae-cvss-calculator's, and a vector
// on which @pandatix/js-cvss disagrees carries a third column "js=N".
// See ../README.md for how to run it.
//
//   node gen.mjs v2|v3|v4|v4all SEED COUNT OUTDIR
import * as js from './jscvss/index.js';
import { createRequire } from 'module';
const require = createRequire(import.meta.url);
const ae = require('ae-cvss-calculator');
import fs from 'fs';

let seed = Number(process.argv[3] || 1);
const rnd = () => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed / 2147483648; };
const pickOne = a => a[Math.floor(rnd() * a.length)];
function product(defs) {
  let out = [[]];
  for (const [k, vals] of defs) out = out.flatMap(p => vals.map(v => [...p, `${k}:${v}`]));
  return out.map(p => p.join('/'));
}
function randomOpt(defs, p) {
  return defs.filter(() => rnd() < p).map(([k, vals]) => `${k}:${pickOne(vals)}`);
}
const v2base = [['AV',['L','A','N']],['AC',['H','M','L']],['Au',['M','S','N']],['C',['N','P','C']],['I',['N','P','C']],['A',['N','P','C']]];
const v2opt = [['E',['U','POC','F','H','ND']],['RL',['OF','TF','W','U','ND']],['RC',['UC','UR','C','ND']],['CDP',['N','L','LM','MH','H','ND']],['TD',['N','L','M','H','ND']],['CR',['L','M','H','ND']],['IR',['L','M','H','ND']],['AR',['L','M','H','ND']]];
const v3base = [['AV',['N','A','L','P']],['AC',['L','H']],['PR',['N','L','H']],['UI',['N','R']],['S',['U','C']],['C',['H','L','N']],['I',['H','L','N']],['A',['H','L','N']]];
const v3opt = [['E',['X','H','F','P','U']],['RL',['X','U','W','T','O']],['RC',['X','C','R','U']],['CR',['X','H','M','L']],['IR',['X','H','M','L']],['AR',['X','H','M','L']],['MAV',['X','N','A','L','P']],['MAC',['X','L','H']],['MPR',['X','N','L','H']],['MUI',['X','N','R']],['MS',['X','U','C']],['MC',['X','H','L','N']],['MI',['X','H','L','N']],['MA',['X','H','L','N']]];
const v4base = [['AV',['N','A','L','P']],['AC',['L','H']],['AT',['N','P']],['PR',['N','L','H']],['UI',['N','P','A']],['VC',['H','L','N']],['VI',['H','L','N']],['VA',['H','L','N']],['SC',['H','L','N']],['SI',['H','L','N']],['SA',['H','L','N']]];
const v4opt = [['E',['X','A','P','U']],['CR',['X','H','M','L']],['IR',['X','H','M','L']],['AR',['X','H','M','L']],['MAV',['X','N','A','L','P']],['MAC',['X','L','H']],['MAT',['X','N','P']],['MPR',['X','N','L','H']],['MUI',['X','N','P','A']],['MVC',['X','H','L','N']],['MVI',['X','H','L','N']],['MVA',['X','H','L','N']],['MSC',['X','H','L','N']],['MSI',['X','S','H','L','N']],['MSA',['X','S','H','L','N']],['S',['X','N','P']],['AU',['X','N','Y']],['R',['X','A','U','I']],['V',['X','D','C']],['RE',['X','L','M','H']],['U',['X','Clear','Green','Amber','Red']]];

const score = {
  '2.0': v => [new js.CVSS20(v).BaseScore(), new ae.Cvss2(v).calculateScores().base],
  '3.0': v => [new js.CVSS30(v).BaseScore(), new ae.Cvss3P0(v).calculateScores().base],
  '3.1': v => [new js.CVSS31(v).BaseScore(), new ae.Cvss3P1(v).calculateScores().base],
  '4.0': v => [new js.CVSS40(v).Score(), new ae.Cvss4P0(v).calculateScores().overall],
};
function emit(version, vectors, file, note) {
  const lines = [`# ${note}`, '# Score from ae-cvss-calculator 1.0.13; a third column js=N marks a vector on which', '# @pandatix/js-cvss 0.4.4 disagrees (see README.md).', '# vector<TAB>score[<TAB>js=score]'];
  let disagree = 0;
  for (const v of vectors) {
    let a, b;
    try { [a, b] = score[version](v); } catch (e) { console.error('oracle error', v, e.message); disagree++; continue; }
    if (a !== b) { disagree++; lines.push(`${v}\t${b.toFixed(1)}\tjs=${a.toFixed(1)}`); continue; }
    lines.push(`${v}\t${a.toFixed(1)}`);
  }
  fs.writeFileSync(file, lines.join('\n') + '\n');
  console.error(file, 'vectors', lines.length - 4, 'disagreements', disagree);
}
const n = Number(process.argv[4] || 400);
const mode = process.argv[2];
const dir = process.argv[5] || '.';
if (mode === 'v2') {
  emit('2.0', product(v2base), `${dir}/v2-base.tsv`, 'CVSS v2: every base vector.');
  const group = (defs) => rnd() < 0.6 ? defs.map(([k, vals]) => `${k}:${pickOne(vals)}`) : [];
  emit('2.0', Array.from({length: n}, () => [pickOne(product(v2base)), ...group(v2opt.slice(0, 3)), ...group(v2opt.slice(3))].join('/')), `${dir}/v2-full.tsv`, 'CVSS v2: random base vectors with temporal and environmental metrics (base score only).');
} else if (mode === 'v3') {
  for (const ver of ['3.0', '3.1']) {
    emit(ver, product(v3base).map(v => `CVSS:${ver}/${v}`), `${dir}/v${ver.replace('.', '')}-base.tsv`, `CVSS v${ver}: every base vector.`);
    emit(ver, Array.from({length: n}, () => [`CVSS:${ver}`, pickOne(product(v3base)), ...randomOpt(v3opt, 0.5)].join('/')), `${dir}/v${ver.replace('.', '')}-full.tsv`, `CVSS v${ver}: random vectors with temporal and environmental metrics (base score only).`);
  }
} else if (mode === 'v4all') {
  emit('4.0', product(v4base).map(v => `CVSS:4.0/${v}`), `${dir}/v40-allbase.tsv`, 'CVSS v4.0: every base vector.');
} else if (mode === 'v4') {
  const all = product(v4base);
  emit('4.0', Array.from({length: n}, () => `CVSS:4.0/${pickOne(all)}`), `${dir}/v40-base.tsv`, 'CVSS v4.0: random base vectors (CVSS-B).');
  emit('4.0', Array.from({length: n}, () => [`CVSS:4.0`, pickOne(all), ...randomOpt(v4opt, 0.4)].join('/')), `${dir}/v40-full.tsv`, 'CVSS v4.0: random vectors with threat, environmental and supplemental metrics (CVSS-BTE).');
}
