// SPDX-License-Identifier: GPL-2.0-only
/*
 * Protobuf payloads of FPM frames (type 2): fpm.Message with an AddRoute or
 * a DeleteRoute, decoded to the same events as their netlink twins.
 *
 * The protobuf encoding names a VRF id, not a kernel table: VRF 0 (the
 * default VRF) maps to table 254 (main), any other id is passed as the
 * table. Protocols map to the RTPROT_* values zebra's netlink encoder uses.
 */
#include <errno.h>
#include <string.h>
#include <arpa/inet.h>
#include <linux/rtnetlink.h>
#include <sys/socket.h>

#include "fpm.pb-c.h"
#include "fpm_decode.h"

/* zebra's own protocol numbers (zebra/rt_netlink.h) */
#define XR_RTPROT_ZEBRA 11
#define XR_RTPROT_BGP 186
#define XR_RTPROT_ISIS 187
#define XR_RTPROT_OSPF 188
#define XR_RTPROT_RIP 189
#define XR_RTPROT_RIPNG 190
#define XR_RTPROT_ZSTATIC 196

static uint8_t pb_protocol(Qpb__Protocol proto)
{
	switch (proto) {
	case QPB__PROTOCOL__LOCAL:
	case QPB__PROTOCOL__CONNECTED:
	case QPB__PROTOCOL__KERNEL:
		return RTPROT_KERNEL;
	case QPB__PROTOCOL__STATIC:
		return XR_RTPROT_ZSTATIC;
	case QPB__PROTOCOL__RIP:
		return XR_RTPROT_RIP;
	case QPB__PROTOCOL__RIPNG:
		return XR_RTPROT_RIPNG;
	case QPB__PROTOCOL__OSPF:
		return XR_RTPROT_OSPF;
	case QPB__PROTOCOL__ISIS:
		return XR_RTPROT_ISIS;
	case QPB__PROTOCOL__BGP:
		return XR_RTPROT_BGP;
	default:
		return XR_RTPROT_ZEBRA;
	}
}

static int pb_family(Qpb__AddressFamily af, uint8_t *family)
{
	switch (af) {
	case QPB__ADDRESS_FAMILY__IPV4:
		*family = AF_INET;
		return 0;
	case QPB__ADDRESS_FAMILY__IPV6:
		*family = AF_INET6;
		return 0;
	default:
		return -EINVAL;
	}
}

static int pb_key(struct fpm_route *rt, Qpb__AddressFamily af, uint32_t vrf,
		  const Fpm__RouteKey *key)
{
	const Qpb__L3Prefix *pfx = key ? key->prefix : NULL;
	size_t alen;

	if (pb_family(af, &rt->family) || !pfx)
		return -EINVAL;
	alen = rt->family == AF_INET ? 4 : 16;
	if (pfx->length > alen * 8 || pfx->bytes.len > alen ||
	    pfx->bytes.len < (pfx->length + 7) / 8)
		return -EINVAL;
	rt->prefixlen = pfx->length;
	memcpy(rt->dst, pfx->bytes.data, pfx->bytes.len);
	rt->table = vrf ? vrf : RT_TABLE_MAIN;
	return 0;
}

static int pb_nexthop(struct fpm_nh_path *p, const Fpm__Nexthop *pnh)
{
	const Qpb__L3Address *a = pnh->address;

	memset(p, 0, sizeof(*p));
	p->weight = 1;
	if (pnh->if_id && pnh->if_id->has_index)
		p->ifindex = pnh->if_id->index;
	if (!a)
		return 0;
	if (a->v4) {
		uint32_t be = htonl(a->v4->value);

		p->family = AF_INET;
		memcpy(p->gw, &be, 4);
		p->has_gw = true;
	} else if (a->v6) {
		if (a->v6->bytes.len != 16)
			return -EINVAL;
		p->family = AF_INET6;
		memcpy(p->gw, a->v6->bytes.data, 16);
		p->has_gw = true;
	}
	return 0;
}

static int pb_add_route(struct fpm_decoder *d, const Fpm__AddRoute *add)
{
	struct fpm_event *ev = &d->ev;
	struct fpm_route *rt = &ev->route;

	memset(rt, 0, offsetof(struct fpm_route, nh));
	ev->type = FPM_EV_ROUTE_ADD;
	if (pb_key(rt, add->address_family, add->vrf_id, add->key))
		goto invalid;
	switch (add->has_route_type ? add->route_type
				    : FPM__ROUTE_TYPE__NORMAL) {
	case FPM__ROUTE_TYPE__UNREACHABLE:
		rt->type = FPM_RT_UNREACHABLE;
		break;
	case FPM__ROUTE_TYPE__BLACKHOLE:
		rt->type = FPM_RT_BLACKHOLE;
		break;
	default:
		rt->type = FPM_RT_UNICAST;
	}
	rt->protocol = pb_protocol(add->protocol);
	rt->metric = (uint32_t)add->metric;
	rt->flags = FPM_RTF_REPLACE;
	if (add->n_nexthops > FPM_MAX_PATHS) {
		/* unusable (fpm_events.h): the key's old paths must go */
		d->stats.err_too_many_paths++;
		rt->n_nexthops = 0;
		fpm_decoder_emit(d, ev);
		return -E2BIG;
	}
	for (size_t i = 0; i < add->n_nexthops; i++)
		if (pb_nexthop(&rt->nh[i], add->nexthops[i]))
			goto invalid;
	rt->n_nexthops = add->n_nexthops;
	fpm_decoder_emit(d, ev);
	return 0;
invalid:
	d->stats.err_pb_invalid++;
	return -EINVAL;
}

static int pb_del_route(struct fpm_decoder *d, const Fpm__DeleteRoute *del)
{
	struct fpm_event *ev = &d->ev;
	struct fpm_route *rt = &ev->route;

	memset(rt, 0, offsetof(struct fpm_route, nh));
	ev->type = FPM_EV_ROUTE_DEL;
	if (pb_key(rt, del->address_family, del->vrf_id, del->key)) {
		d->stats.err_pb_invalid++;
		return -EINVAL;
	}
	fpm_decoder_emit(d, ev);
	return 0;
}

int fpm_decode_protobuf(struct fpm_decoder *d, const uint8_t *buf, size_t len)
{
	Fpm__Message *msg;
	int err = 0;

	msg = fpm__message__unpack(NULL, len, buf);
	if (!msg) {
		d->stats.err_pb_unpack++;
		return -EBADMSG;
	}
	if (msg->type == FPM__MESSAGE__TYPE__ADD_ROUTE && msg->add_route) {
		d->stats.msg_pb_add_route++;
		if (msg->add_route->sub_address_family ==
		    QPB__SUB_ADDRESS_FAMILY__UNICAST)
			err = pb_add_route(d, msg->add_route);
		else
			d->stats.skip_family++;
	} else if (msg->type == FPM__MESSAGE__TYPE__DELETE_ROUTE &&
		   msg->delete_route) {
		d->stats.msg_pb_del_route++;
		if (msg->delete_route->sub_address_family ==
		    QPB__SUB_ADDRESS_FAMILY__UNICAST)
			err = pb_del_route(d, msg->delete_route);
		else
			d->stats.skip_family++;
	} else {
		d->stats.msg_pb_other++;
		d->stats.skip_pb_type++;
	}
	fpm__message__free_unpacked(msg, NULL);
	return err;
}
