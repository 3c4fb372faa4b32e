// SPDX-License-Identifier: GPL-2.0-only
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

#include "fpm_record_rib.h"

/* Test-sized state: linear arrays are plenty and easy to trust */
struct fpm_record_rib {
	struct fpm_route *routes;
	size_t n_routes, cap_routes;
	struct fpm_nexthop *nhs;
	size_t n_nhs, cap_nhs;
};

struct fpm_record_rib *fpm_record_rib_new(void)
{
	return calloc(1, sizeof(struct fpm_record_rib));
}

void fpm_record_rib_free(struct fpm_record_rib *rib)
{
	if (!rib)
		return;
	free(rib->routes);
	free(rib->nhs);
	free(rib);
}

static int same_key(const struct fpm_route *a, const struct fpm_route *b)
{
	return a->family == b->family && a->table == b->table &&
	       a->prefixlen == b->prefixlen && !memcmp(a->dst, b->dst, 16);
}

static void *grow(void *arr, size_t *cap, size_t n, size_t size)
{
	if (n < *cap)
		return arr;
	*cap = *cap ? *cap * 2 : 64;
	arr = realloc(arr, *cap * size);
	if (!arr)
		abort(); /* a test tool out of memory has nothing to save */
	return arr;
}

static void route_apply(struct fpm_record_rib *rib, const struct fpm_event *ev)
{
	size_t i;

	for (i = 0; i < rib->n_routes; i++)
		if (same_key(&rib->routes[i], &ev->route))
			break;
	if (ev->type == FPM_EV_ROUTE_DEL) {
		if (i < rib->n_routes)
			rib->routes[i] = rib->routes[--rib->n_routes];
		return;
	}
	if (i == rib->n_routes) {
		rib->routes = grow(rib->routes, &rib->cap_routes, rib->n_routes,
				   sizeof(*rib->routes));
		rib->n_routes++;
	}
	rib->routes[i] = ev->route;
}

static void nh_apply(struct fpm_record_rib *rib, const struct fpm_event *ev)
{
	size_t i;

	for (i = 0; i < rib->n_nhs; i++)
		if (rib->nhs[i].id == ev->nh.id)
			break;
	if (ev->type == FPM_EV_NH_DEL) {
		if (i < rib->n_nhs)
			rib->nhs[i] = rib->nhs[--rib->n_nhs];
		return;
	}
	if (i == rib->n_nhs) {
		rib->nhs = grow(rib->nhs, &rib->cap_nhs, rib->n_nhs,
				sizeof(*rib->nhs));
		rib->n_nhs++;
	}
	rib->nhs[i] = ev->nh;
}

void fpm_record_rib_apply(struct fpm_record_rib *rib,
			  const struct fpm_event *ev)
{
	switch (ev->type) {
	case FPM_EV_ROUTE_ADD:
	case FPM_EV_ROUTE_DEL:
		route_apply(rib, ev);
		break;
	case FPM_EV_NH_ADD:
	case FPM_EV_NH_DEL:
		nh_apply(rib, ev);
		break;
	case FPM_EV_PEER_UP:
		rib->n_routes = 0;
		rib->n_nhs = 0;
		break;
	case FPM_EV_PEER_DOWN:
		break;
	}
}

static const char *fam_name(int family)
{
	return family == AF_INET    ? "ipv4"
	       : family == AF_INET6 ? "ipv6"
				    : "unspec";
}

static void addr_str(int family, const uint8_t *a, char *buf)
{
	if (!inet_ntop(family, a, buf, INET6_ADDRSTRLEN))
		strcpy(buf, "?");
}

static int route_cmp(const void *pa, const void *pb)
{
	const struct fpm_route *a = pa, *b = pb;
	int c;

	if (a->family != b->family)
		return a->family - b->family;
	if (a->table != b->table)
		return a->table < b->table ? -1 : 1;
	c = memcmp(a->dst, b->dst, 16);
	return c ? c : a->prefixlen - b->prefixlen;
}

static int nh_cmp(const void *pa, const void *pb)
{
	const struct fpm_nexthop *a = pa, *b = pb;

	return a->id < b->id ? -1 : a->id > b->id;
}

void fpm_record_rib_dump_json(const struct fpm_record_rib *rib, FILE *f)
{
	char buf[INET6_ADDRSTRLEN];

	qsort(rib->routes, rib->n_routes, sizeof(*rib->routes), route_cmp);
	qsort(rib->nhs, rib->n_nhs, sizeof(*rib->nhs), nh_cmp);
	fprintf(f, "{\"routes\": [");
	for (size_t i = 0; i < rib->n_routes; i++) {
		const struct fpm_route *r = &rib->routes[i];

		addr_str(r->family, r->dst, buf);
		fprintf(f,
			"%s\n  {\"family\": \"%s\", \"table\": %u, "
			"\"prefix\": \"%s/%u\", \"type\": \"%s\", "
			"\"protocol\": %u, \"metric\": %u, \"nh_id\": %u, "
			"\"nexthops\": [",
			i ? "," : "", fam_name(r->family), r->table, buf,
			r->prefixlen, fpm_route_type_name(r->type), r->protocol,
			r->metric, r->nh_id);
		for (unsigned int j = 0; j < r->n_nexthops; j++) {
			const struct fpm_nh_path *p = &r->nh[j];

			if (p->has_gw)
				addr_str(p->family, p->gw, buf);
			fprintf(f,
				"%s{\"gw\": %s%s%s, \"ifindex\": %u, "
				"\"weight\": %u}",
				j ? ", " : "", p->has_gw ? "\"" : "",
				p->has_gw ? buf : "null", p->has_gw ? "\"" : "",
				p->ifindex, p->weight);
		}
		fprintf(f, "]}");
	}
	fprintf(f, "\n], \"nexthops\": [");
	for (size_t i = 0; i < rib->n_nhs; i++) {
		const struct fpm_nexthop *n = &rib->nhs[i];

		if (n->has_gw)
			addr_str(n->family, n->gw, buf);
		fprintf(f,
			"%s\n  {\"id\": %u, \"family\": \"%s\", \"gw\": "
			"%s%s%s, "
			"\"ifindex\": %u, \"blackhole\": %s, \"group\": [",
			i ? "," : "", n->id, fam_name(n->family),
			n->has_gw ? "\"" : "", n->has_gw ? buf : "null",
			n->has_gw ? "\"" : "", n->ifindex,
			n->blackhole ? "true" : "false");
		for (unsigned int j = 0; j < n->n_group; j++)
			fprintf(f, "%s{\"id\": %u, \"weight\": %u}",
				j ? ", " : "", n->group[j].id,
				n->group[j].weight);
		fprintf(f, "]}");
	}
	fprintf(f, "\n]}\n");
}

void fpm_record_print_event(const struct fpm_event *ev, FILE *f)
{
	char buf[INET6_ADDRSTRLEN];

	fprintf(f, "%s", fpm_event_type_name(ev->type));
	switch (ev->type) {
	case FPM_EV_ROUTE_ADD:
	case FPM_EV_ROUTE_DEL: {
		const struct fpm_route *r = &ev->route;

		addr_str(r->family, r->dst, buf);
		fprintf(f, " %s table %u %s/%u %s proto %u metric %u%s",
			fam_name(r->family), r->table, buf, r->prefixlen,
			fpm_route_type_name(r->type), r->protocol, r->metric,
			r->flags & FPM_RTF_REPLACE ? " replace" : "");
		if (r->nh_id)
			fprintf(f, " nhid %u", r->nh_id);
		for (unsigned int j = 0; j < r->n_nexthops; j++) {
			const struct fpm_nh_path *p = &r->nh[j];

			fprintf(f, "%s", j ? "," : " paths");
			if (p->has_gw) {
				addr_str(p->family, p->gw, buf);
				fprintf(f, " via %s", buf);
			}
			fprintf(f, " dev %u weight %u", p->ifindex, p->weight);
		}
		break;
	}
	case FPM_EV_NH_ADD:
	case FPM_EV_NH_DEL: {
		const struct fpm_nexthop *n = &ev->nh;

		fprintf(f, " id %u", n->id);
		if (ev->type == FPM_EV_NH_DEL)
			break;
		fprintf(f, " %s", fam_name(n->family));
		if (n->blackhole)
			fprintf(f, " blackhole");
		if (n->has_gw) {
			addr_str(n->family, n->gw, buf);
			fprintf(f, " via %s", buf);
		}
		if (n->ifindex)
			fprintf(f, " dev %u", n->ifindex);
		for (unsigned int j = 0; j < n->n_group; j++)
			fprintf(f, "%s%u/%u", j ? "," : " group ",
				n->group[j].id, n->group[j].weight);
		break;
	}
	default:
		break;
	}
	fputc('\n', f);
}
