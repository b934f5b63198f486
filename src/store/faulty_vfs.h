#pragma once
// A SQLite VFS that passes everything to the default one until told to fail: writes with an
// I/O error or a full disk, or syncs with an I/O error, as a dying disk would. A database
// opened as "file:<path>?vfs=faulty" goes through it.
namespace moyakko::store {

enum class DiskFault { kNone, kWriteError, kFull, kSyncError };

// Registers the VFS (once) under the name "faulty".
void RegisterFaultyVfs();
// From now on every file opened through the VFS fails this way (kNone: works again).
void InjectDiskFault(DiskFault fault);
// Writes and syncs that failed since the VFS was registered.
int InjectedFailures();

}  // namespace moyakko::store
