// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <sys/socket.h>
#include <sys/time.h>

#include "kernel_route.h"

const char *kernel_route_type_name(uint8_t type)
{
	switch (type) {
	case RTN_UNICAST:
		return "unicast";
	case RTN_LOCAL:
		return "local";
	case RTN_BROADCAST:
		return "broadcast";
	case RTN_MULTICAST:
		return "multicast";
	case RTN_BLACKHOLE:
		return "blackhole";
	case RTN_UNREACHABLE:
		return "unreachable";
	case RTN_PROHIBIT:
		return "prohibit";
	default:
		return "other";
	}
}

static void parse_route(const struct nlmsghdr *h, uint8_t family,
			struct kernel_route *k)
{
	const struct rtmsg *rtm = NLMSG_DATA(h);
	int len = h->nlmsg_len - NLMSG_LENGTH(sizeof(*rtm));
	unsigned int alen = family == AF_INET ? 4 : 16;

	k->type = rtm->rtm_type;
	k->table = rtm->rtm_table;
	for (const struct rtattr *a = RTM_RTA(rtm); RTA_OK(a, len);
	     a = RTA_NEXT(a, len)) {
		switch (a->rta_type) {
		case RTA_OIF:
			if (RTA_PAYLOAD(a) >= 4)
				memcpy(&k->oif, RTA_DATA(a), 4);
			break;
		case RTA_GATEWAY:
			if (RTA_PAYLOAD(a) >= alen) {
				k->gw.family = family;
				memcpy(k->gw.bytes, RTA_DATA(a), alen);
			}
			break;
		case RTA_VIA:
			if (RTA_PAYLOAD(a) >= 2 + 4) {
				uint16_t f;

				memcpy(&f, RTA_DATA(a), 2);
				k->gw.family = f;
				memcpy(k->gw.bytes, (uint8_t *)RTA_DATA(a) + 2,
				       RTA_PAYLOAD(a) - 2 > 16
					       ? 16
					       : RTA_PAYLOAD(a) - 2);
			}
			break;
		case RTA_PREFSRC:
			if (RTA_PAYLOAD(a) >= alen) {
				k->prefsrc.family = family;
				memcpy(k->prefsrc.bytes, RTA_DATA(a), alen);
			}
			break;
		case RTA_TABLE:
			if (RTA_PAYLOAD(a) >= 4)
				memcpy(&k->table, RTA_DATA(a), 4);
			break;
		}
	}
}

int kernel_route_get(const struct xr_addr *dst, struct kernel_route *k)
{
	struct {
		struct nlmsghdr n;
		struct rtmsg r;
		char attrs[64];
	} req = {0};
	struct timeval tv = {.tv_sec = 5};
	unsigned int alen = dst->family == AF_INET ? 4 : 16;
	struct rtattr *rta;
	char buf[8192];
	int fd, n, err = 0;

	memset(k, 0, sizeof(*k));
	req.n.nlmsg_len = NLMSG_LENGTH(sizeof(req.r));
	req.n.nlmsg_type = RTM_GETROUTE;
	req.n.nlmsg_flags = NLM_F_REQUEST;
	req.n.nlmsg_seq = 1;
	req.r.rtm_family = dst->family;
	req.r.rtm_dst_len = alen * 8;
	rta = (struct rtattr *)((char *)&req + NLMSG_ALIGN(req.n.nlmsg_len));
	rta->rta_type = RTA_DST;
	rta->rta_len = RTA_LENGTH(alen);
	memcpy(RTA_DATA(rta), dst->bytes, alen);
	req.n.nlmsg_len =
		NLMSG_ALIGN(req.n.nlmsg_len) + RTA_ALIGN(rta->rta_len);

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (fd < 0)
		return -errno;
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	if (send(fd, &req, req.n.nlmsg_len, 0) < 0) {
		err = -errno;
		goto out;
	}
	n = recv(fd, buf, sizeof(buf), 0);
	if (n < 0) {
		err = -errno;
		goto out;
	}
	for (struct nlmsghdr *h = (struct nlmsghdr *)buf; NLMSG_OK(h, n);
	     h = NLMSG_NEXT(h, n)) {
		if (h->nlmsg_type == NLMSG_ERROR) {
			const struct nlmsgerr *e = NLMSG_DATA(h);

			k->error = e->error;
			break;
		}
		if (h->nlmsg_type == RTM_NEWROUTE) {
			parse_route(h, dst->family, k);
			break;
		}
	}
out:
	close(fd);
	return err;
}
