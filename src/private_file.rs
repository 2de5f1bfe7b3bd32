//! Files only their owner may read: the audit log and the debug log. They
//! name accounts, resources and network rules, so they are created 0600 in
//! a 0700 directory — and opened so that a symlink or a device planted in
//! their place is refused rather than followed or `chmod`ed.

use std::fs::File;
use std::io;
use std::path::Path;

/// Owner read/write only.
pub const FILE_MODE: u32 = 0o600;
/// Owner only, for a directory rdsight creates.
pub const DIR_MODE: u32 = 0o700;

/// Create `dir` (and its parents) owner-only; an existing directory that
/// rdsight owns is tightened to 0700.
pub fn create_dir(dir: &Path) -> io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::{DirBuilderExt, MetadataExt, PermissionsExt};
        builder.mode(DIR_MODE);
        builder.create(dir)?;
        let meta = std::fs::symlink_metadata(dir)?;
        if meta.is_dir() && owned_by_us(meta.uid()) && meta.mode() & 0o777 != DIR_MODE {
            std::fs::set_permissions(dir, std::fs::Permissions::from_mode(DIR_MODE))?;
        }
        Ok(())
    }
    #[cfg(not(unix))]
    builder.create(dir)
}

/// Open `path` for appending, creating it (and its directory) owner-only.
/// Refuses a symlink in its place, anything but a regular file, and a file
/// another user owns; tightens a looser file of ours to 0600.
pub fn open_append(path: &Path) -> io::Result<File> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        create_dir(dir)?;
    }
    // Say precisely what is in the way; the flags below close the race.
    match std::fs::symlink_metadata(path) {
        Ok(meta) if meta.file_type().is_symlink() => {
            return Err(refused(
                path,
                "is a symbolic link: rdsight does not follow one planted in its place",
            ));
        }
        Ok(meta) if !meta.is_file() => return Err(refused(path, "is not a regular file")),
        _ => {}
    }
    let mut options = std::fs::OpenOptions::new();
    options.create(true).append(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::{MetadataExt, OpenOptionsExt, PermissionsExt};
        let nofollow = rustix::fs::OFlags::NOFOLLOW.bits() as i32;
        // Non-blocking, so opening a FIFO planted in its place cannot hang.
        let nonblock = rustix::fs::OFlags::NONBLOCK.bits() as i32;
        options.mode(FILE_MODE).custom_flags(nofollow | nonblock);
        let file = options.open(path).map_err(|e| match e.raw_os_error() {
            Some(code) if code == rustix::io::Errno::LOOP.raw_os_error() => refused(
                path,
                "is a symbolic link: rdsight does not follow one planted in its place",
            ),
            _ => e,
        })?;
        let meta = file.metadata()?;
        if !meta.is_file() {
            return Err(refused(path, "is not a regular file"));
        }
        if !owned_by_us(meta.uid()) {
            return Err(refused(path, "belongs to another user"));
        }
        if meta.mode() & 0o777 != FILE_MODE {
            file.set_permissions(std::fs::Permissions::from_mode(FILE_MODE))?;
        }
        Ok(file)
    }
    #[cfg(not(unix))]
    options.open(path)
}

#[cfg(unix)]
fn owned_by_us(uid: u32) -> bool {
    rustix::process::geteuid().as_raw() == uid
}

fn refused(path: &Path, why: &str) -> io::Error {
    io::Error::new(
        io::ErrorKind::PermissionDenied,
        format!(
            "{} {why} — point RDSIGHT_AUDIT_LOG (or XDG_STATE_HOME) at a file of your own",
            path.display()
        ),
    )
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn scratch(name: &str) -> std::path::PathBuf {
        let dir =
            std::env::temp_dir().join(format!("rdsight-private-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        dir
    }

    fn mode(path: &Path) -> u32 {
        std::fs::symlink_metadata(path)
            .map(|m| m.permissions().mode() & 0o777)
            .unwrap_or(0)
    }

    #[test]
    fn creates_owner_only_and_tightens_a_looser_file_of_ours() {
        let dir = scratch("mode");
        let path = dir.join("state").join("audit.jsonl");
        drop(open_append(&path).unwrap());
        assert_eq!(mode(&path), FILE_MODE);
        assert_eq!(mode(path.parent().unwrap()), DIR_MODE);
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        drop(open_append(&path).unwrap());
        assert_eq!(mode(&path), FILE_MODE);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_planted_symlink_is_refused_and_its_target_untouched() {
        let dir = scratch("symlink");
        std::fs::create_dir_all(&dir).unwrap();
        let target = dir.join("precious");
        std::fs::write(&target, "keep").unwrap();
        std::fs::set_permissions(&target, std::fs::Permissions::from_mode(0o644)).unwrap();
        let link = dir.join("audit.jsonl");
        std::os::unix::fs::symlink(&target, &link).unwrap();
        let error = open_append(&link).unwrap_err().to_string();
        assert!(error.contains("symbolic link"), "{error}");
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "keep");
        assert_eq!(mode(&target), 0o644, "not chmod-ed through the link");
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn something_other_than_a_regular_file_is_refused_and_not_chmod_ed() {
        let dir = scratch("fifo");
        std::fs::create_dir_all(&dir).unwrap();
        let fifo = dir.join("audit.jsonl");
        rustix::fs::mkfifoat(rustix::fs::CWD, &fifo, rustix::fs::Mode::from(0o644)).unwrap();
        let error = open_append(&fifo).unwrap_err().to_string();
        assert!(error.contains("not a regular file"), "{error}");
        assert_eq!(mode(&fifo), 0o644);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
