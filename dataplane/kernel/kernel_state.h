/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The kernel's links, addresses and neighbours, mirrored with libnl's cache
 * manager: a full dump at start, then the multicast groups, read from the
 * event loop. Addresses and neighbours are emitted as events, as
 * fpm-client emits zebra's routes: the daemon hands both to the RIB. Links
 * feed the ports.
 */
#ifndef XR_KERNEL_STATE_H
#define XR_KERNEL_STATE_H

#include <stdbool.h>
#include <stdint.h>
#include <event2/event.h>

#include "kernel/vlan_links.h"

struct kstate;

struct kstate_link {
	uint32_t ifindex;
	const char *name;
	uint8_t mac[6];
	uint32_t mtu;
	bool up;
	bool loopback;
	bool has_addr;
	uint32_t vrf; /* table of the VRF it belongs to, 0 = default */
	struct kstate_vlan vlan; /* an 802.1Q/802.1ad link's facts */
};

enum kstate_event_type { KSTATE_ADDR_ADD, KSTATE_ADDR_DEL, KSTATE_NEIGH };

/* An address of the router's (ADDR_*) or a neighbour that changed. */
struct kstate_event {
	enum kstate_event_type type;
	uint32_t ifindex;
	uint32_t vrf; /* ADDR_*: table of the link's VRF, 0 = default */
	uint8_t family;
	uint8_t prefixlen; /* ADDR_* */
	uint8_t addr[16];
};

typedef void (*kstate_event_fn)(void *arg, const struct kstate_event *ev);

/* gone: the link was removed (l has only ifindex and name then). */
typedef void (*kstate_link_fn)(void *arg, const struct kstate_link *l,
			       bool gone);

int kstate_new(struct kstate **out, struct event_base *base,
	       kstate_link_fn on_link, void *arg);
/* Emits every address and neighbour to fn, then each change as it comes. */
void kstate_follow(struct kstate *ks, kstate_event_fn fn, void *arg);
void kstate_free(struct kstate *ks);

bool kstate_neigh_mac(void *ks, uint32_t ifindex, uint8_t family,
		      const uint8_t *addr, uint8_t mac[6]);
/* Marks a gateway's neighbour entry managed (NTF_EXT_MANAGED: the kernel
 * resolves it and keeps it fresh) while any nexthop uses it. */
void kstate_neigh_track(void *ks, uint32_t ifindex, uint8_t family,
			const uint8_t *addr, bool track);
/* Calls fn for every link, as a link event. */
void kstate_foreach_link(struct kstate *ks, kstate_link_fn fn, void *arg);

#endif /* XR_KERNEL_STATE_H */
