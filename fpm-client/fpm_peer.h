/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Who may program the fast path: the owner of the peer's TCP socket, asked
 * of the kernel (NETLINK_SOCK_DIAG, inet_diag on the connection's 4-tuple),
 * must be an allowed user. zebra runs as root or as FRR's user; any other
 * local process that reaches the FPM port is refused before it is read.
 */
#ifndef XR_FPM_PEER_H
#define XR_FPM_PEER_H

#include <stdbool.h>
#include <sys/types.h>

#define FPM_PEER_MAX_USERS 16
#define FPM_PEER_DEFAULT_USERS "root,frr"

struct fpm_peer_policy {
	uid_t uids[FPM_PEER_MAX_USERS];
	unsigned int n_uids;
	/* The operator said peers on other hosts (or namespaces) may
	 * connect: their socket is not ours to ask about. */
	bool allow_remote;
};

/*
 * "root,frr,1000": user names or numeric uids, comma-separated. A name
 * that is not a user is an error (-ENOENT), except a name of the default
 * list (FRR may not be installed). -EINVAL for an empty or malformed list,
 * -E2BIG past FPM_PEER_MAX_USERS.
 */
int fpm_peer_policy_parse(struct fpm_peer_policy *p, const char *list);
/* root and FRR's user (when there is one), loopback only. */
void fpm_peer_policy_default(struct fpm_peer_policy *p);
bool fpm_peer_uid_allowed(const struct fpm_peer_policy *p, uid_t uid);

/*
 * The uid owning the other end of connected TCP socket fd. -ENOENT when
 * no socket of this namespace is that end (a remote peer, or one that has
 * already gone), another negative errno if the kernel cannot be asked.
 */
int fpm_peer_uid(int fd, uid_t *uid);

/* True if sa (an accepted peer's address) is 127/8, ::1 or ::ffff:127/104. */
bool fpm_addr_is_loopback(const void *sa);

#endif
