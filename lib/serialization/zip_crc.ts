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

function readAt(fd: number, position: number, length: number): Buffer {
  const buffer = Buffer.alloc(length);
  const got = fs.readSync(fd, buffer, 0, length, position);
  return buffer.subarray(0, got);
}

/**
 * name -> CRC-32 as the central directory records it. Reads only the end
 * of the file (the end-of-central-directory records and the directory
 * itself): libtorch has already read the records.
 */
export function centralDirectoryCrcs(file: string): Map<string, number> {
  const fail = (what: string): never => {
    throw new Error(`${file} is not a valid zip archive: ${what}`);
  };
  const fd = fs.openSync(file, 'r');
  try {
    const size = fs.fstatSync(fd).size;
    const tailStart = Math.max(0, size - 22 - 65535 - 20);
    const tail = readAt(fd, tailStart, size - tailStart);
    let eocd = -1;
    for (let i = tail.length - 22; i >= 0; i--) {
      if (tail.readUInt32LE(i) === EOCD) {
        eocd = i;
        break;
      }
    }
    if (eocd < 0) fail('no end-of-central-directory record (the file is truncated or not a zip)');
    let entries = tail.readUInt16LE(eocd + 10);
    let length = tail.readUInt32LE(eocd + 12);
    let offset = tail.readUInt32LE(eocd + 16);
    if (offset === 0xffffffff || entries === 0xffff || length === 0xffffffff) {
      const locator = eocd - 20;
      if (locator < 0 || tail.readUInt32LE(locator) !== ZIP64_LOCATOR) fail('missing zip64 locator');
      const zip64 = readAt(fd, Number(tail.readBigUInt64LE(locator + 8)), 56);
      if (zip64.length < 56 || zip64.readUInt32LE(0) !== ZIP64_EOCD) fail('bad zip64 end-of-central-directory record');
      entries = Number(zip64.readBigUInt64LE(32));
      length = Number(zip64.readBigUInt64LE(40));
      offset = Number(zip64.readBigUInt64LE(48));
    }
    if (offset + length > size) fail('its central directory lies past the end of the file');
    const directory = readAt(fd, offset, length);
    const crcs = new Map<string, number>();
    let at = 0;
    for (let k = 0; k < entries; k++) {
      if (at + 46 > directory.length || directory.readUInt32LE(at) !== CENTRAL) fail(`central directory entry ${k} is damaged`);
      const crc = directory.readUInt32LE(at + 16);
      const nameLength = directory.readUInt16LE(at + 28);
      const extraLength = directory.readUInt16LE(at + 30);
      const commentLength = directory.readUInt16LE(at + 32);
      if (at + 46 + nameLength > directory.length) fail(`central directory entry ${k} is truncated`);
      crcs.set(directory.toString('utf8', at + 46, at + 46 + nameLength), crc);
      at += 46 + nameLength + extraLength + commentLength;
    }
    return crcs;
  } finally {
    fs.closeSync(fd);
  }
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
