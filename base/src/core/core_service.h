/* SPDX-License-Identifier: MIT */
/**
 * \brief core's services: session requests turned into session objects
 *
 * A request names a service and carries an argument string. Core checks the
 * whole request (service, argument grammar, donated ram_quota against the
 * service's minimum, the payer's quota) before it creates anything, and
 * charges the donation to the requester's RAM session until the session is
 * closed.
 */

#ifndef _CORE_CORE_SERVICE_H_
#define _CORE_CORE_SERVICE_H_

#include <base/session.h>
#include <parent/parent.h>

#include "core.h"

struct ram_session_component;

/** an open session of a core service */
struct core_session
{
	struct list_element element;
	uint32_t id;
	struct core_service const *service;
	void *object;
	uint64_t quota; /* donated by the payer */
	struct ram_session_component *payer;
};

/** what a service's create gives: the session object (NULL: denied, logged) and its cap */
struct core_service_object
{
	void *object;
	struct session_cap cap;
};

struct core_session_result
{
	enum parent_result result;
	struct core_session *session; /* the caller's, on PARENT_OK */
	struct session_cap cap;       /* the caller's, on PARENT_OK */
};

/**
 * Open a session.
 *
 * \param label  the requester's label (the name of core's child, followed
 *               by the label of the argument string if it has one)
 * \param payer  the RAM session that pays the donation
 */
struct core_session_result core_session_open(struct core *core, char const *service,
                                             char const *args, char const *label,
                                             struct ram_session_component *payer)
    __attribute__((warn_unused_result));

/**
 * Close a session: destroy its object, give the payer back what it holds
 * (the donation; for a RAM session its current quota). Returns that amount.
 */
uint64_t core_session_close(struct core *core, struct core_session *session);

/** a new capability of an open session, the caller's */
struct session_cap core_session_cap(struct core_session *session);

#endif /* _CORE_CORE_SERVICE_H_ */
