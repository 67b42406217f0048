// The zip container of torch.save and torch.jit.save files, read record by
// record. Only the end of the file (the central directory) is read up front;
// a record is read when asked for, bounded by the size the directory
// declares for it, and its CRC-32 is checked (libtorch builds its own zip
// reader with CRC checks off, so a flipped bit in a tensor's data would load
// as wrong numbers). A record nothing asks for is never read or inflated:
// a small file whose unused record inflates to a gigabyte costs nothing.
import * as fs from 'node:fs';
import * as zlib from 'node:zlib';

const EOCD = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_EOCD = 0x06064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const STORED = 0;
const DEFLATED = 8;

interface Entry {
  method: number;
  crc: number;
  compressedSize: number;
  size: number;
  localHeader: number;
}

function readAt(fd: number, position: number, length: number): Buffer {
  const buffer = Buffer.alloc(length);
  let got = 0;
  while (got < length) {
    const n = fs.readSync(fd, buffer, got, length - got, position + got);
    if (n === 0) break;
    got += n;
  }
  return buffer.subarray(0, got);
}

/** Opens `file` (a regular file) for reading; `caller` names the function in errors ('torch.load'). */
export function openRegularFile(file: string, caller: string): number {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch (err) {
    throw new Error(`${caller}: cannot open ${file}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`);
  }
  if (!fs.fstatSync(fd).isFile()) {
    fs.closeSync(fd);
    // A device or a pipe has no end to find a zip directory at (/dev/zero would be read forever).
    throw new Error(`${caller}: ${file} is not a regular file (a directory, device or pipe); it reads files that torch.save wrote`);
  }
  return fd;
}

/** The file has no readable zip directory; the message says what is wrong, without the file's name. */
export class ZipFormatError extends Error {}

/** The records of a zip archive, named as libtorch names them: inside the archive's top folder (model/data.pkl is data.pkl). */
export class ZipArchive {
  private readonly entries = new Map<string, Entry>();

  private constructor(
    private readonly fd: number,
    readonly file: string,
    private readonly fileSize: number,
  ) {}

  /** Reads the central directory of `file`; throws a ZipFormatError when it has none that is readable. */
  static open(file: string, caller: string): ZipArchive {
    const fd = openRegularFile(file, caller);
    try {
      const archive = new ZipArchive(fd, file, fs.fstatSync(fd).size);
      archive.readDirectory();
      return archive;
    } catch (err) {
      fs.closeSync(fd);
      throw err;
    }
  }

  close(): void {
    fs.closeSync(this.fd);
  }

  names(): string[] {
    return [...this.entries.keys()];
  }

  /** The uncompressed size the directory declares for a record; undefined when there is no such record. */
  size(name: string): number | undefined {
    return this.entries.get(name)?.size;
  }

  /** A record's bytes, inflated (never past the size the directory declares) and checked against its CRC-32. */
  read(name: string, caller: string): Uint8Array {
    const entry = this.entries.get(name);
    if (!entry) throw new Error(`${caller}: ${this.file}: record ${name} is not in the zip's central directory`);
    const fail = (what: string): never => {
      throw new Error(`${caller}: ${this.file}: record ${name} is corrupt: ${what}`);
    };
    const local = readAt(this.fd, entry.localHeader, 30);
    if (local.length < 30 || local.readUInt32LE(0) !== LOCAL) fail('its local header is missing or damaged');
    const start = entry.localHeader + 30 + local.readUInt16LE(26) + local.readUInt16LE(28);
    if (start + entry.compressedSize > this.fileSize) fail(`its ${entry.compressedSize} bytes run past the end of the file`);
    const raw = readAt(this.fd, start, entry.compressedSize);
    let data: Uint8Array;
    if (entry.method === STORED) {
      if (entry.compressedSize !== entry.size) fail(`it is stored uncompressed, but the directory gives it ${entry.compressedSize} bytes stored and ${entry.size} bytes in all`);
      data = raw;
    } else if (entry.method === DEFLATED) {
      try {
        // One byte more than declared, so that a record inflating past its size is caught, not cut.
        data = zlib.inflateRawSync(raw, { maxOutputLength: entry.size + 1 });
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') fail(`it inflates to more than the ${entry.size} bytes the zip directory declares`);
        fail(`it does not inflate: ${(err as Error).message}`);
      }
      if (data!.length !== entry.size) fail(`it inflates to ${data!.length} bytes, but the zip directory declares ${entry.size}`);
    } else {
      fail(`it uses compression method ${entry.method}; torch.save archives are stored or deflated`);
    }
    const crc = zlib.crc32(data!) >>> 0;
    if (crc !== entry.crc) fail(`its CRC-32 is ${crc.toString(16).padStart(8, '0')}, the archive recorded ${entry.crc.toString(16).padStart(8, '0')}`);
    return data!;
  }

  private readDirectory(): void {
    const fail = (what: string): never => {
      throw new ZipFormatError(what);
    };
    const size = this.fileSize;
    const tailStart = Math.max(0, size - 22 - 65535 - 20);
    const tail = readAt(this.fd, tailStart, size - tailStart);
    let eocd = -1;
    for (let i = tail.length - 22; i >= 0; i--) {
      if (tail.readUInt32LE(i) === EOCD) {
        eocd = i;
        break;
      }
    }
    if (eocd < 0) fail('it has no central directory (no end-of-central-directory record: the file is truncated or not a zip)');
    let count = tail.readUInt16LE(eocd + 10);
    let length = tail.readUInt32LE(eocd + 12);
    let offset = tail.readUInt32LE(eocd + 16);
    if (offset === 0xffffffff || count === 0xffff || length === 0xffffffff) {
      const locator = eocd - 20;
      if (locator < 0 || tail.readUInt32LE(locator) !== ZIP64_LOCATOR) fail('missing zip64 locator');
      const zip64 = readAt(this.fd, Number(tail.readBigUInt64LE(locator + 8)), 56);
      if (zip64.length < 56 || zip64.readUInt32LE(0) !== ZIP64_EOCD) fail('bad zip64 end-of-central-directory record');
      count = Number(zip64.readBigUInt64LE(32));
      length = Number(zip64.readBigUInt64LE(40));
      offset = Number(zip64.readBigUInt64LE(48));
    }
    if (offset + length > size) fail('its central directory lies past the end of the file');
    // Each entry takes at least 46 bytes, so the count cannot make us loop past what the directory holds.
    if (count * 46 > length) fail(`its central directory of ${length} bytes cannot hold the ${count} entries it declares`);
    const directory = readAt(this.fd, offset, length);
    let folder: string | null = null;
    let at = 0;
    for (let k = 0; k < count; k++) {
      if (at + 46 > directory.length || directory.readUInt32LE(at) !== CENTRAL) fail(`central directory entry ${k} is damaged`);
      const nameLength = directory.readUInt16LE(at + 28);
      const extraLength = directory.readUInt16LE(at + 30);
      const commentLength = directory.readUInt16LE(at + 32);
      if (at + 46 + nameLength + extraLength > directory.length) fail(`central directory entry ${k} is truncated`);
      const full = directory.toString('utf8', at + 46, at + 46 + nameLength);
      const entry: Entry = {
        method: directory.readUInt16LE(at + 10),
        crc: directory.readUInt32LE(at + 16),
        compressedSize: directory.readUInt32LE(at + 20),
        size: directory.readUInt32LE(at + 24),
        localHeader: directory.readUInt32LE(at + 42),
      };
      this.readZip64Sizes(entry, directory.subarray(at + 46 + nameLength, at + 46 + nameLength + extraLength), fail);
      at += 46 + nameLength + extraLength + commentLength;
      // libtorch takes the first record's folder as the archive's, and sees only the records inside it.
      const slash = full.indexOf('/');
      folder ??= slash < 0 ? '' : full.slice(0, slash + 1);
      if (!full.startsWith(folder) || full.length === folder.length) continue;
      const name = full.slice(folder.length);
      if (this.entries.has(name)) fail(`record ${name} appears twice`);
      this.entries.set(name, entry);
    }
  }

  // A zip64 extra field holds, in order, whichever of the sizes and the offset did not fit in 32 bits.
  private readZip64Sizes(entry: Entry, extra: Buffer, fail: (what: string) => never): void {
    const wanted = (['size', 'compressedSize', 'localHeader'] as const).filter((k) => entry[k] === 0xffffffff);
    if (wanted.length === 0) return;
    for (let at = 0; at + 4 <= extra.length; ) {
      const id = extra.readUInt16LE(at);
      const length = extra.readUInt16LE(at + 2);
      if (id === 0x0001) {
        if (length < 8 * wanted.length || at + 4 + length > extra.length) fail('a zip64 extra field is truncated');
        wanted.forEach((k, i) => {
          const v = extra.readBigUInt64LE(at + 4 + 8 * i);
          if (v > BigInt(Number.MAX_SAFE_INTEGER)) fail(`a record's ${k} of ${v} is implausible`);
          entry[k] = Number(v);
        });
        return;
      }
      at += 4 + length;
    }
    fail('a record needs a zip64 extra field and has none');
  }
}
