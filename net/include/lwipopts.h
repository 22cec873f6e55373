/* SPDX-License-Identifier: MIT */
/**
 * \brief lwIP's options for Vitrine: NO_SYS, the raw API, tuned for throughput
 *
 * One configuration for every component on liblwip (net/src/lwip). Each
 * choice and its reason is in doc/lwip.md; the short form is beside it here.
 * lwIP's own defaults (contrib/lwip-2.1.3/src/include/lwip/opt.h) hold for
 * everything not named.
 */

#ifndef _LWIPOPTS_H_
#define _LWIPOPTS_H_

/* --- threading: one thread runs lwIP, the event loop's (lwip_loop.h) --- */
#define NO_SYS               1
#define SYS_LIGHTWEIGHT_PROT 0 /* nothing to protect against with one thread */
#define LWIP_SOCKET          0
#define LWIP_NETCONN         0
#define LWIP_NETIF_API       0

/* --- memory --- */

/*
 * lwIP's own heap for PBUF_RAM (what tcp_write copies, loopback copies,
 * outgoing UDP), a fixed arena of MEM_SIZE bytes, rather than the C
 * library's malloc: no lock, a first fit over lwIP's objects only, and in
 * the 16 MiB loopback echo about a third faster than the env heap
 * (doc/lwip.md has the figures). It also keeps lwIP's memory apart from the
 * application's: a flood fills the arena (ERR_MEM, TCP retries), not the
 * component's quota. 1 MiB holds the send buffers of seven connections at
 * full windows; the loopback echo of two full windows peaks at 411 KiB. The
 * fixed-size objects (pcbs, segments, pool pbufs) are in lwIP's pools.
 */
#define MEM_LIBC_MALLOC 0
#define MEM_SIZE        (1024 * 1024)
#define MEMP_MEM_MALLOC 0
#define MEM_ALIGNMENT   8

/* --- protocols --- */
#define LWIP_IPV4          1
#define LWIP_IPV6          0
#define LWIP_ARP           1
#define LWIP_ETHERNET      1
#define LWIP_ICMP          1
#define LWIP_RAW           1
#define LWIP_UDP           1
#define LWIP_TCP           1
#define LWIP_DHCP          1
#define LWIP_AUTOIP        0
#define LWIP_IGMP          0
#define LWIP_DNS           0
#define IP_REASSEMBLY      1
#define IP_FRAG            1
#define SO_REUSE           1 /* a listener can bind again while old connections linger */
#define TCP_LISTEN_BACKLOG 1

/*
 * No ARP probe of the address a DHCP server offers: it delays every start
 * by a second, and on the networks we run on (slirp, QEMU's user network)
 * the DHCP server is the only one that hands out addresses.
 */
#define DHCP_DOES_ARP_CHECK 0

/* --- netifs --- */
#define LWIP_NETIF_LOOPBACK        1 /* packets to a netif's own address loop back */
#define LWIP_HAVE_LOOPIF           1 /* and 127.0.0.1 is a netif of its own */
#define LWIP_NETIF_STATUS_CALLBACK 1 /* tells the application when DHCP has bound */
#define LWIP_NETIF_LINK_CALLBACK   1

/*
 * Packets waiting on a loopback queue; TCP queues at most its windows, far
 * below this. A component that floods its own address with UDP gets ERR_MEM
 * before the copies fill lwIP's heap.
 */
#define LWIP_LOOPBACK_MAX_PBUFS 512

/* --- TCP, tuned for throughput --- */
#define TCP_MSS         1460
#define LWIP_WND_SCALE  1
#define TCP_RCV_SCALE   2                 /* windows up to 256 KiB */
#define TCP_WND         (128 * 1024)      /* about 90 segments in flight */
#define TCP_SND_BUF     (128 * 1024)      /* as much unacknowledged as the peer takes */
#define TCP_SNDLOWAT    (TCP_SND_BUF / 4) /* below lwIP's 16-bit limit; sockets only */
#define TCP_OVERSIZE    TCP_MSS           /* tcp_write fills whole segments */
#define TCP_QUEUE_OOSEQ 1

/*
 * Segments for two connections with full send queues (an echo, or a
 * listener's connection and an upload) and the out-of-sequence queue.
 */
#define MEMP_NUM_TCP_SEG (2 * TCP_SND_QUEUELEN)

/*
 * Pool pbufs are what a netif receives into: a whole window of full-size
 * segments (lwIP's sanity check wants TCP_WND to fit) and some spare.
 */
#define PBUF_POOL_SIZE 128

#define MEMP_NUM_PBUF           64 /* PBUF_REF/ROM headers (no-copy writes, netif frames) */
#define MEMP_NUM_TCP_PCB        16
#define MEMP_NUM_TCP_PCB_LISTEN 8
#define MEMP_NUM_UDP_PCB        8
#define MEMP_NUM_RAW_PCB        4
#define MEMP_NUM_SYS_TIMEOUT    (LWIP_NUM_SYS_TIMEOUT_INTERNAL + 8) /* 8 for applications */

/* checksums: 32 bits at a time, and computed while tcp_write copies */
#define LWIP_CHKSUM_ALGORITHM 3
#define LWIP_CHECKSUM_ON_COPY 1

/* random initial sequence numbers (RFC 6528 asks for unpredictable ones) */
#define LWIP_HOOK_TCP_ISN(local_ip, local_port, remote_ip, remote_port) LWIP_RAND()

/* --- diagnostics: statistics off; assertions on (a failed one panics) --- */
#define LWIP_STATS 0

#endif /* _LWIPOPTS_H_ */
