// Writing a file that torch.save or torch.jit.save makes, so that a failed
// write is a JS error and never an abort. libtorch's own file writer ignores
// a failing write until its destructor, which then throws during unwinding
// and ends the process (a full disk did). Here libtorch writes through a
// function that always reports success; the first OS error is kept and
// raised once libtorch is done, and the bytes go to a temporary file beside
// the target that is renamed over it only when every write and the close
// succeeded, so a failed save leaves the target as it was.
#pragma once

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <stdexcept>
#include <string>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace torchts {

// Its errors say what the OS refused ("No space left on device (ENOSPC)");
// the JS caller names the function and the file.
class CheckedFileWriter {
 public:
  explicit CheckedFileWriter(std::string path) : path_(std::move(path)) {
    // A target that exists and is not a regular file (a FIFO, a device such
    // as /dev/full) is written in place: renaming over it would replace the
    // node itself.
    struct stat st;
    bool inPlace = ::stat(path_.c_str(), &st) == 0 && !S_ISREG(st.st_mode);
    if (inPlace) {
      fd_ = ::open(path_.c_str(), O_WRONLY | O_TRUNC | O_CLOEXEC);
    } else {
      temp_ = path_ + ".tmp-XXXXXX";
      fd_ = ::mkstemp(temp_.data());
      // mkstemp makes the file 0600; a saved file gets what open() would
      // give it under the process's umask, as Python's open(path, 'wb').
      if (fd_ >= 0) {
        mode_t mask = ::umask(0);
        ::umask(mask);
        ::fchmod(fd_, 0666 & ~mask);
      }
    }
    if (fd_ < 0) {
      int err = errno;
      // Python's message, and libtorch's writer's, for the usual mistake.
      if (err == ENOENT && !inPlace) {
        std::string::size_type slash = path_.rfind('/');
        std::string parent = slash == std::string::npos ? "." : slash == 0 ? "/" : path_.substr(0, slash);
        throw std::runtime_error("Parent directory " + parent + " does not exist.");
      }
      fail(inPlace ? "cannot open it: " : "cannot create a file beside it: ", err);
    }
  }

  CheckedFileWriter(const CheckedFileWriter&) = delete;
  CheckedFileWriter& operator=(const CheckedFileWriter&) = delete;

  ~CheckedFileWriter() {
    if (fd_ >= 0) ::close(fd_);
    if (!committed_ && !temp_.empty()) ::unlink(temp_.c_str());
  }

  // For libtorch's writer_func: always "all written", so libtorch never
  // throws from its destructor; the first error is kept for commit().
  size_t write(const void* data, size_t n) {
    const char* p = static_cast<const char*>(data);
    size_t left = n;
    while (error_ == 0 && left > 0) {
      ssize_t wrote = ::write(fd_, p, left);
      if (wrote < 0) {
        if (errno == EINTR) continue;
        error_ = errno;
      } else {
        p += wrote;
        left -= static_cast<size_t>(wrote);
      }
    }
    return n;
  }

  // Closes the file and puts it in place; an Error naming the file and the
  // OS error when any write, the close or the rename failed.
  void commit() {
    if (error_ == 0 && ::fsync(fd_) != 0 && errno != EINVAL && errno != EROFS) error_ = errno;
    int fd = fd_;
    fd_ = -1;
    if (::close(fd) != 0 && error_ == 0) error_ = errno;
    if (error_ != 0) fail("", error_);
    if (!temp_.empty() && ::rename(temp_.c_str(), path_.c_str()) != 0) fail("cannot rename the finished file over it: ", errno);
    committed_ = true;
  }

 private:
  [[noreturn]] void fail(const char* what, int err) {
    throw std::runtime_error(what + std::string(std::strerror(err)) + " (" + errnoName(err) + ")");
  }

  static std::string errnoName(int err) {
    switch (err) {
      case ENOSPC: return "ENOSPC";
      case EFBIG: return "EFBIG";
      case EDQUOT: return "EDQUOT";
      case EIO: return "EIO";
      case EACCES: return "EACCES";
      case EPERM: return "EPERM";
      case ENOENT: return "ENOENT";
      case ENOTDIR: return "ENOTDIR";
      case EISDIR: return "EISDIR";
      case EROFS: return "EROFS";
      default: return "errno " + std::to_string(err);
    }
  }

  std::string path_;
  std::string temp_;  // empty when writing in place
  int fd_ = -1;
  int error_ = 0;
  bool committed_ = false;
};

}  // namespace torchts
