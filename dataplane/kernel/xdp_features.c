// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <netlink/netlink.h>
#include <netlink/genl/genl.h>
#include <netlink/genl/ctrl.h>

#include "kernel/xdp_features.h"

/* linux/netdev.h, stable UAPI. */
#define NETDEV_FAMILY_NAME "netdev"
#define NETDEV_CMD_DEV_GET 1
#define NETDEV_A_DEV_IFINDEX 1
#define NETDEV_A_DEV_XDP_FEATURES 3

struct features_reply {
	uint64_t features;
	int found;
};

static int on_reply(struct nl_msg *msg, void *arg)
{
	struct features_reply *r = arg;
	struct nlattr *tb[NETDEV_A_DEV_XDP_FEATURES + 1];
	struct genlmsghdr *gh = nlmsg_data(nlmsg_hdr(msg));

	if (nla_parse(tb, NETDEV_A_DEV_XDP_FEATURES, genlmsg_attrdata(gh, 0),
		      genlmsg_attrlen(gh, 0), NULL) < 0)
		return NL_SKIP;
	if (tb[NETDEV_A_DEV_XDP_FEATURES] &&
	    nla_len(tb[NETDEV_A_DEV_XDP_FEATURES]) >= 8) {
		r->features = nla_get_u64(tb[NETDEV_A_DEV_XDP_FEATURES]);
		r->found = 1;
	}
	return NL_OK;
}

int xr_xdp_features_get(uint32_t ifindex, uint64_t *features)
{
	struct features_reply reply = {0};
	struct nl_sock *sk = nl_socket_alloc();
	struct nl_msg *msg = NULL;
	int family, err;

	if (!sk)
		return -ENOMEM;
	err = genl_connect(sk);
	if (err < 0) {
		err = -EOPNOTSUPP;
		goto out;
	}
	family = genl_ctrl_resolve(sk, NETDEV_FAMILY_NAME);
	if (family < 0) {
		err = -EOPNOTSUPP;
		goto out;
	}
	msg = nlmsg_alloc();
	if (!msg) {
		err = -ENOMEM;
		goto out;
	}
	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, family, 0, 0,
			 NETDEV_CMD_DEV_GET, 1) ||
	    nla_put_u32(msg, NETDEV_A_DEV_IFINDEX, ifindex) < 0) {
		err = -ENOMEM;
		goto out;
	}
	nl_socket_modify_cb(sk, NL_CB_VALID, NL_CB_CUSTOM, on_reply, &reply);
	err = nl_send_auto(sk, msg);
	if (err >= 0)
		err = nl_recvmsgs_default(sk);
	if (err < 0) {
		err = err == -NLE_OBJ_NOTFOUND || err == -NLE_NODEV ? -ENODEV
								    : -EIO;
		goto out;
	}
	err = reply.found ? 0 : -EOPNOTSUPP;
	*features = reply.features;
out:
	nlmsg_free(msg);
	nl_socket_free(sk);
	return err;
}
