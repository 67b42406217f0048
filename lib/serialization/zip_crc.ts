// The CRC-32 of every record of a zip archive, checked against its central
// directory. libtorch builds its zip reader with CRC checks turned off
// (for speed), so a bit flipped inside a tensor's data would load as wrong
// numbers; torchts checks them itself.
import * as fs from 'node:fs';
import * as zlib from 'node:zlib';

const EOCD = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_EOCD = 0x06064b50;
const CENTRAL = 0x02014b50;

/** name -> CRC-32 as the central directory records it. */
export function centralDirectoryCrcs(file: string, bytes: Buffer = fs.readFileSync(file)): Map<string, number> {
  const fail = (what: string): never => {
    throw new Error(`${file} is not a valid zip archive: ${what}`);
  };
  let eocd = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 65535); i--) {
    if (bytes.readUInt32LE(i) === EOCD) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) fail('no end-of-central-directory record (the file is truncated or not a zip)');
  let entries = bytes.readUInt16LE(eocd + 10);
  let offset = bytes.readUInt32LE(eocd + 16);
  if (offset === 0xffffffff || entries === 0xffff) {
    const locator = eocd - 20;
    if (locator < 0 || bytes.readUInt32LE(locator) !== ZIP64_LOCATOR) fail('missing zip64 locator');
    const zip64 = Number(bytes.readBigUInt64LE(locator + 8));
    if (zip64 + 56 > bytes.length || bytes.readUInt32LE(zip64) !== ZIP64_EOCD) fail('bad zip64 end-of-central-directory record');
    entries = Number(bytes.readBigUInt64LE(zip64 + 32));
    offset = Number(bytes.readBigUInt64LE(zip64 + 48));
  }
  const crcs = new Map<string, number>();
  let at = offset;
  for (let k = 0; k < entries; k++) {
    if (at + 46 > bytes.length || bytes.readUInt32LE(at) !== CENTRAL) fail(`central directory entry ${k} is damaged`);
    const crc = bytes.readUInt32LE(at + 16);
    const nameLength = bytes.readUInt16LE(at + 28);
    const extraLength = bytes.readUInt16LE(at + 30);
    const commentLength = bytes.readUInt16LE(at + 32);
    if (at + 46 + nameLength > bytes.length) fail(`central directory entry ${k} is truncated`);
    crcs.set(bytes.toString('utf8', at + 46, at + 46 + nameLength), crc);
    at += 46 + nameLength + extraLength + commentLength;
  }
  return crcs;
}

/** Throws, naming the record, when a record's bytes do not match the CRC-32 the archive recorded for them. */
export function checkRecordCrcs(file: string, records: Iterable<[string, ArrayBuffer]>, caller: string): void {
  const crcs = centralDirectoryCrcs(file);
  const byRecord = new Map<string, number>();
  // Records are named inside an archive folder (model/data.pkl); libtorch strips it.
  for (const [full, crc] of crcs) byRecord.set(full.slice(full.indexOf('/') + 1), crc);
  for (const [name, data] of records) {
    const want = byRecord.get(name);
    if (want === undefined) throw new Error(`${caller}: ${file}: record ${name} is not in the zip's central directory`);
    const got = zlib.crc32(new Uint8Array(data)) >>> 0;
    if (got !== want) {
      throw new Error(`${caller}: ${file}: record ${name} is corrupt: its CRC-32 is ${got.toString(16).padStart(8, '0')}, the archive recorded ${want.toString(16).padStart(8, '0')}`);
    }
  }
}
