// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>
#include <sys/stat.h>

#include "daemon/file_trust.h"

static bool trusted_owner(uid_t uid)
{
	return uid == 0 || uid == geteuid();
}

int file_trust_config(int fd, char *why, size_t len)
{
	struct stat st;

	if (fstat(fd, &st))
		return -errno;
	if (S_ISCHR(st.st_mode))
		return 0;
	if (!trusted_owner(st.st_uid)) {
		snprintf(why, len,
			 "owned by uid %u, not root: chown root the file",
			 (unsigned int)st.st_uid);
		return -EPERM;
	}
	if (st.st_mode & (S_IWGRP | S_IWOTH)) {
		snprintf(why, len,
			 "mode %04o lets others write it: chmod go-w the file",
			 (unsigned int)(st.st_mode & 07777));
		return -EPERM;
	}
	return 0;
}

int file_trust_pin_dir(const char *path, char *why, size_t len)
{
	struct stat st;
	int fd, err = 0;

	fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENOENT)
			return 0;
		snprintf(why, len, "cannot open it: %m (a symlink is refused)");
		return -errno;
	}
	if (fstat(fd, &st)) {
		err = -errno;
	} else if (!trusted_owner(st.st_uid)) {
		snprintf(why, len,
			 "owned by uid %u, not root: another user made it; "
			 "remove it and restart",
			 (unsigned int)st.st_uid);
		err = -EPERM;
	} else if (st.st_mode & S_IWOTH) {
		snprintf(why, len,
			 "mode %04o: anyone may add pins; remove it and "
			 "restart",
			 (unsigned int)(st.st_mode & 07777));
		err = -EPERM;
	} else if ((st.st_mode & 07777) != 0700 && fchmod(fd, 0700)) {
		snprintf(why, len, "cannot make it 0700: %m");
		err = -errno;
	}
	close(fd);
	return err;
}
