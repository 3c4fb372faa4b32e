/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Files the daemon trusts: its config file and its pin directory. Either
 * decides what the fast path does, so either must be root's (or the
 * daemon's own user's) and writable by no one else. /sys/fs/bpf is
 * world-writable (sticky), so anyone may create a directory there first.
 */
#ifndef XR_FILE_TRUST_H
#define XR_FILE_TRUST_H

#include <stddef.h>

/*
 * The open config file fd: -EPERM (why says what is wrong and how to fix
 * it) if another user owns it or group/others may write it. Character
 * devices (/dev/null) are taken as they are.
 */
int file_trust_config(int fd, char *why, size_t len);

/*
 * The pin directory, if it exists: -EPERM if another user owns it or
 * others may write it; a looser mode of our own is tightened to 0700.
 * 0 if it does not exist yet (the loader creates it 0700).
 */
int file_trust_pin_dir(const char *path, char *why, size_t len);

#endif /* XR_FILE_TRUST_H */
