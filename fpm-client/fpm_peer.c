// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>

#include "fpm_peer.h"

static int add_uid(struct fpm_peer_policy *p, uid_t uid)
{
	if (fpm_peer_uid_allowed(p, uid))
		return 0;
	if (p->n_uids >= FPM_PEER_MAX_USERS)
		return -E2BIG;
	p->uids[p->n_uids++] = uid;
	return 0;
}

/* One entry: a uid, or a user's name (resolved now, at start). */
static int add_user(struct fpm_peer_policy *p, const char *name, bool soft)
{
	struct passwd *pw;
	unsigned long n;
	char *end;

	if (!*name)
		return -EINVAL;
	if (name[0] >= '0' && name[0] <= '9') {
		errno = 0;
		n = strtoul(name, &end, 10);
		if (*end || errno || n >= (uid_t)-1)
			return -EINVAL;
		return add_uid(p, (uid_t)n);
	}
	pw = getpwnam(name);
	if (!pw)
		return soft ? 0 : -ENOENT;
	return add_uid(p, pw->pw_uid);
}

static int parse(struct fpm_peer_policy *p, const char *list, bool soft)
{
	char buf[256], *tok, *save = NULL;
	int err;

	if (!list || strlen(list) >= sizeof(buf))
		return -EINVAL;
	strcpy(buf, list);
	p->n_uids = 0;
	for (tok = strtok_r(buf, ", ", &save); tok;
	     tok = strtok_r(NULL, ", ", &save)) {
		err = add_user(p, tok, soft);
		if (err)
			return err;
	}
	return p->n_uids ? 0 : -EINVAL;
}

int fpm_peer_policy_parse(struct fpm_peer_policy *p, const char *list)
{
	return parse(p, list, false);
}

void fpm_peer_policy_default(struct fpm_peer_policy *p)
{
	memset(p, 0, sizeof(*p));
	/* root always resolves, so the list is never empty */
	if (parse(p, FPM_PEER_DEFAULT_USERS, true))
		add_uid(p, 0);
}

bool fpm_peer_uid_allowed(const struct fpm_peer_policy *p, uid_t uid)
{
	for (unsigned int i = 0; i < p->n_uids; i++)
		if (p->uids[i] == uid)
			return true;
	return false;
}

bool fpm_addr_is_loopback(const void *addr)
{
	const struct sockaddr *sa = addr;

	if (sa->sa_family == AF_INET)
		return (ntohl(((const struct sockaddr_in *)sa)
				      ->sin_addr.s_addr) >>
			24) == 127;
	if (sa->sa_family == AF_INET6) {
		const struct in6_addr *a =
			&((const struct sockaddr_in6 *)sa)->sin6_addr;

		return IN6_IS_ADDR_LOOPBACK(a) ||
		       (IN6_IS_ADDR_V4MAPPED(a) && a->s6_addr[12] == 127);
	}
	return false;
}

/* A v4 peer on a v6 socket (::ffff:a.b.c.d) has an AF_INET socket. */
static void unmap(struct sockaddr_storage *ss)
{
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;
	struct sockaddr_in s4 = {.sin_family = AF_INET};

	if (ss->ss_family != AF_INET6 || !IN6_IS_ADDR_V4MAPPED(&s6->sin6_addr))
		return;
	s4.sin_port = s6->sin6_port;
	memcpy(&s4.sin_addr, &s6->sin6_addr.s6_addr[12], 4);
	memcpy(ss, &s4, sizeof(s4));
}

static void put_end(const struct sockaddr_storage *ss, __be16 *port,
		    __be32 *addr)
{
	if (ss->ss_family == AF_INET) {
		const struct sockaddr_in *s4 = (const struct sockaddr_in *)ss;

		*port = s4->sin_port;
		addr[0] = s4->sin_addr.s_addr;
	} else {
		const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)ss;

		*port = s6->sin6_port;
		memcpy(addr, &s6->sin6_addr, 16);
	}
}

int fpm_peer_uid(int fd, uid_t *uid)
{
	struct sockaddr_storage local, peer;
	socklen_t llen = sizeof(local), plen = sizeof(peer);
	struct {
		struct nlmsghdr nlh;
		struct inet_diag_req_v2 req;
	} q = {0};
	union {
		struct nlmsghdr nlh;
		char buf[512];
	} a;
	struct sockaddr_nl kernel = {.nl_family = AF_NETLINK};
	struct inet_diag_msg *m;
	struct nlmsgerr *e;
	int nl, err;
	ssize_t n;

	if (getsockname(fd, (struct sockaddr *)&local, &llen) ||
	    getpeername(fd, (struct sockaddr *)&peer, &plen))
		return -errno;
	unmap(&local);
	unmap(&peer);
	if (peer.ss_family != local.ss_family ||
	    (peer.ss_family != AF_INET && peer.ss_family != AF_INET6))
		return -EAFNOSUPPORT;

	/* The peer's socket: its source is the peer's end, its destination
	 * ours. Not a dump: the kernel looks up exactly this connection. */
	q.nlh.nlmsg_len = sizeof(q);
	q.nlh.nlmsg_type = SOCK_DIAG_BY_FAMILY;
	q.nlh.nlmsg_flags = NLM_F_REQUEST;
	q.nlh.nlmsg_seq = 1;
	q.req.sdiag_family = peer.ss_family;
	q.req.sdiag_protocol = IPPROTO_TCP;
	q.req.idiag_states = ~0u;
	put_end(&peer, &q.req.id.idiag_sport, q.req.id.idiag_src);
	put_end(&local, &q.req.id.idiag_dport, q.req.id.idiag_dst);
	q.req.id.idiag_cookie[0] = INET_DIAG_NOCOOKIE;
	q.req.id.idiag_cookie[1] = INET_DIAG_NOCOOKIE;

	nl = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
	if (nl < 0)
		return -errno;
	if (sendto(nl, &q, sizeof(q), 0, (struct sockaddr *)&kernel,
		   sizeof(kernel)) != sizeof(q)) {
		err = -errno;
		goto out;
	}
	/* The kernel answers inside sendto: never wait for it. */
	n = recv(nl, &a, sizeof(a), MSG_DONTWAIT);
	if (n < 0) {
		err = -errno;
		goto out;
	}
	err = -EPROTO;
	if (n < (ssize_t)sizeof(a.nlh) || a.nlh.nlmsg_len > (size_t)n)
		goto out;
	if (a.nlh.nlmsg_type == NLMSG_ERROR) {
		e = NLMSG_DATA(&a.nlh);
		if (a.nlh.nlmsg_len >= NLMSG_LENGTH(sizeof(*e)) && e->error)
			err = e->error;
		goto out;
	}
	if (a.nlh.nlmsg_type != SOCK_DIAG_BY_FAMILY ||
	    a.nlh.nlmsg_len < NLMSG_LENGTH(sizeof(*m)))
		goto out;
	m = NLMSG_DATA(&a.nlh);
	/* Only that connection's far end will do */
	if (m->id.idiag_sport != q.req.id.idiag_sport ||
	    m->id.idiag_dport != q.req.id.idiag_dport ||
	    memcmp(m->id.idiag_src, q.req.id.idiag_src,
		   sizeof(m->id.idiag_src)) ||
	    memcmp(m->id.idiag_dst, q.req.id.idiag_dst,
		   sizeof(m->id.idiag_dst)))
		goto out;
	*uid = m->idiag_uid;
	err = 0;
out:
	close(nl);
	return err;
}
