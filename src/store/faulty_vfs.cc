#include "store/faulty_vfs.h"

#include <sqlite3.h>

#include <atomic>
#include <mutex>

namespace moyakko::store {
namespace {

std::atomic<DiskFault> fault{DiskFault::kNone};
std::atomic<int> failures{0};
sqlite3_vfs* real_vfs = nullptr;
sqlite3_vfs faulty_vfs;
sqlite3_io_methods faulty_methods;

// A file of the VFS: SQLite allocates szOsFile bytes; the real file follows this header.
struct FaultyFile {
  sqlite3_file base;
  sqlite3_file* real() { return reinterpret_cast<sqlite3_file*>(this + 1); }
};

FaultyFile* Of(sqlite3_file* file) { return reinterpret_cast<FaultyFile*>(file); }

int Write(sqlite3_file* file, const void* data, int amount, sqlite3_int64 offset) {
  DiskFault now = fault.load();
  if (now == DiskFault::kWriteError || now == DiskFault::kFull) {
    ++failures;
    return now == DiskFault::kFull ? SQLITE_FULL : SQLITE_IOERR_WRITE;
  }
  return Of(file)->real()->pMethods->xWrite(Of(file)->real(), data, amount, offset);
}

int Sync(sqlite3_file* file, int flags) {
  if (fault.load() == DiskFault::kSyncError) {
    ++failures;
    return SQLITE_IOERR_FSYNC;
  }
  return Of(file)->real()->pMethods->xSync(Of(file)->real(), flags);
}

int Close(sqlite3_file* file) {
  sqlite3_file* real = Of(file)->real();
  int rc = real->pMethods ? real->pMethods->xClose(real) : SQLITE_OK;
  file->pMethods = nullptr;
  return rc;
}

// Every other method goes straight to the real file.
template <auto Member, class... Args>
int Forward(sqlite3_file* file, Args... args) {
  sqlite3_file* real = Of(file)->real();
  return (real->pMethods->*Member)(real, args...);
}

int Open(sqlite3_vfs*, const char* name, sqlite3_file* file, int flags, int* out_flags) {
  FaultyFile* faulty = Of(file);
  faulty->base.pMethods = nullptr;
  int rc = real_vfs->xOpen(real_vfs, name, faulty->real(), flags, out_flags);
  if (rc == SQLITE_OK) faulty->base.pMethods = &faulty_methods;
  return rc;
}

// Version 2: WAL's shared-memory methods, without memory-mapped reads (which would bypass
// xRead and are off by default anyway).
void BuildMethods() {
  faulty_methods.iVersion = 2;
  faulty_methods.xClose = Close;
  faulty_methods.xRead = Forward<&sqlite3_io_methods::xRead, void*, int, sqlite3_int64>;
  faulty_methods.xWrite = Write;
  faulty_methods.xTruncate = Forward<&sqlite3_io_methods::xTruncate, sqlite3_int64>;
  faulty_methods.xSync = Sync;
  faulty_methods.xFileSize = Forward<&sqlite3_io_methods::xFileSize, sqlite3_int64*>;
  faulty_methods.xLock = Forward<&sqlite3_io_methods::xLock, int>;
  faulty_methods.xUnlock = Forward<&sqlite3_io_methods::xUnlock, int>;
  faulty_methods.xCheckReservedLock = Forward<&sqlite3_io_methods::xCheckReservedLock, int*>;
  faulty_methods.xFileControl = Forward<&sqlite3_io_methods::xFileControl, int, void*>;
  faulty_methods.xSectorSize = [](sqlite3_file* f) { return Of(f)->real()->pMethods->xSectorSize(Of(f)->real()); };
  faulty_methods.xDeviceCharacteristics = [](sqlite3_file* f) {
    return Of(f)->real()->pMethods->xDeviceCharacteristics(Of(f)->real());
  };
  faulty_methods.xShmMap = Forward<&sqlite3_io_methods::xShmMap, int, int, int, void volatile**>;
  faulty_methods.xShmLock = Forward<&sqlite3_io_methods::xShmLock, int, int, int>;
  faulty_methods.xShmBarrier = [](sqlite3_file* f) { Of(f)->real()->pMethods->xShmBarrier(Of(f)->real()); };
  faulty_methods.xShmUnmap = Forward<&sqlite3_io_methods::xShmUnmap, int>;
}

}  // namespace

void RegisterFaultyVfs() {
  static std::once_flag once;
  std::call_once(once, [] {
    real_vfs = sqlite3_vfs_find(nullptr);
    faulty_vfs = *real_vfs;
    faulty_vfs.zName = "faulty";
    faulty_vfs.szOsFile = static_cast<int>(sizeof(FaultyFile)) + real_vfs->szOsFile;
    faulty_vfs.xOpen = Open;
    BuildMethods();
    sqlite3_vfs_register(&faulty_vfs, 0);
  });
}

void InjectDiskFault(DiskFault next) { fault = next; }

int InjectedFailures() { return failures.load(); }

}  // namespace moyakko::store
