// torchvision/datasets/utils.py: MD5 checks, archive extraction and
// download-then-extract, for the datasets that ship as one archive (CIFAR).
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';

import { downloadFile, md5 } from './download';

/** The hex MD5 of a file. */
export function calculate_md5(fpath: string): string {
  return md5(fpath);
}

export function check_md5(fpath: string, expected: string): boolean {
  return expected === calculate_md5(fpath);
}

/** Whether fpath is a file and (when md5 is given) has that MD5. */
export function check_integrity(fpath: string, expected: string | null = null): boolean {
  if (!fs.existsSync(fpath) || !fs.statSync(fpath).isFile()) return false;
  return expected === null ? true : check_md5(fpath, expected);
}

/** A path inside the archive, refused when it would land outside `to` (an absolute path or `..`). */
function memberPath(to: string, name: string, archive: string): string {
  const dest = path.resolve(to, name);
  const root = path.resolve(to);
  if (path.isAbsolute(name) || (dest !== root && !dest.startsWith(root + path.sep))) {
    throw new Error(`${archive}: member '${name}' would be written outside ${to}; refusing to extract it`);
  }
  return dest;
}

function tarString(block: Buffer, start: number, length: number): string {
  const raw = block.subarray(start, start + length);
  const end = raw.indexOf(0);
  return raw.subarray(0, end < 0 ? raw.length : end).toString('utf8');
}

/**
 * Extracts a tar (ustar or GNU; gzip-compressed when it ends in .gz/.tgz):
 * its directories and regular files, the only members dataset archives
 * hold; links and devices are refused by name.
 */
export function extract_archive(from_path: string, to_path: string | null = null): string {
  const to = to_path ?? path.dirname(from_path);
  let data = fs.readFileSync(from_path);
  if (/\.(tgz|gz)$/.test(from_path)) data = zlib.gunzipSync(data);
  else if (!/\.tar$/.test(from_path)) throw new Error(`extract_archive: ${from_path}: only .tar, .tar.gz and .tgz archives are supported`);
  let pos = 0;
  let longName: string | null = null;
  while (pos + 512 <= data.length) {
    const header = data.subarray(pos, pos + 512);
    if (header.every((b) => b === 0)) break;
    const size = parseInt(tarString(header, 124, 12).trim() || '0', 8);
    const type = String.fromCharCode(header[156] || 0x30);
    const prefix = tarString(header, 345, 155);
    let name = longName ?? (prefix ? `${prefix}/${tarString(header, 0, 100)}` : tarString(header, 0, 100));
    longName = null;
    const body = data.subarray(pos + 512, pos + 512 + size);
    if (body.length < size) throw new Error(`extract_archive: ${from_path} is truncated: member '${name}' needs ${size} bytes, ${body.length} are left`);
    pos += 512 + Math.ceil(size / 512) * 512;
    if (type === 'L') {
      // GNU long name: the next member's name is this body.
      longName = body.toString('utf8').replace(/\0+$/, '');
      continue;
    }
    if (type === 'x' || type === 'g') continue; // pax headers: metadata only
    name = name.replace(/\/+$/, '');
    if (type === '5') {
      fs.mkdirSync(memberPath(to, name, from_path), { recursive: true });
    } else if (type === '0' || type === '\0' || type === '7') {
      const dest = memberPath(to, name, from_path);
      fs.mkdirSync(path.dirname(dest), { recursive: true });
      fs.writeFileSync(dest, body);
    } else {
      throw new Error(`extract_archive: ${from_path}: member '${name}' is of tar type '${type}' (a link or device); dataset archives hold only files and directories`);
    }
  }
  return to;
}

/** torchvision's download_url + extract_archive: fetches url into download_root (MD5 checked) and unpacks it into extract_root. */
export function download_and_extract_archive(url: string, download_root: string, extract_root: string | null = null, filename: string | null = null, md5sum: string | null = null, remove_finished = false): void {
  const name = filename ?? path.basename(new URL(url).pathname);
  const base = url.slice(0, url.length - path.basename(new URL(url).pathname).length);
  fs.mkdirSync(download_root, { recursive: true });
  const archive = path.join(download_root, name);
  if (!check_integrity(archive, md5sum)) {
    const remote = path.basename(new URL(url).pathname);
    if (!downloadFile([base], remote, download_root, md5sum)) {
      throw new Error(`could not download ${url}. Without a network, put ${name} in ${download_root}`);
    }
    if (remote !== name) fs.renameSync(path.join(download_root, remote), archive);
  }
  extract_archive(archive, extract_root ?? download_root);
  if (remove_finished) fs.rmSync(archive);
}
