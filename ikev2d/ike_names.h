/*
 * ikev2d/ike_names.h -- names for every IKEv2 number (ike_const.h) and for
 * the codec's errors, for logs and haadm: "IKE_SA_INIT",
 * "NAT_DETECTION_SOURCE_IP", ...
 *
 * Each returns a static string, IKE_NAME_UNKNOWN ("UNKNOWN") for a value
 * the enum does not name; ike_name_fmt() adds the number for logs.  The
 * switches in ike_names.c carry no default, so the compiler (-Wswitch,
 * part of -Wall -Werror) refuses a build that misses an enumerator.
 */
#ifndef IKEV2D_IKE_NAMES_H
#define IKEV2D_IKE_NAMES_H

#include <stddef.h>

#include "ike_const.h"

#define IKE_NAME_UNKNOWN	"UNKNOWN"

const char	*ike_exch_name(unsigned int);
const char	*ike_pld_name(unsigned int);
const char	*ike_proto_name(unsigned int);
const char	*ike_xform_type_name(unsigned int);
const char	*ike_encr_name(unsigned int);
const char	*ike_prf_name(unsigned int);
const char	*ike_integ_name(unsigned int);
const char	*ike_ke_name(unsigned int);
const char	*ike_esn_name(unsigned int);
const char	*ike_id_type_name(unsigned int);
const char	*ike_cert_enc_name(unsigned int);
const char	*ike_auth_method_name(unsigned int);
const char	*ike_hash_name(unsigned int);
const char	*ike_notify_name(unsigned int);
const char	*ike_ts_type_name(unsigned int);
const char	*ike_cp_type_name(unsigned int);
const char	*ike_cfg_attr_name(unsigned int);
const char	*ike_eap_code_name(unsigned int);
/* Name of a transform ID, by transform type (ENCR, PRF, INTEG, KE, ESN). */
const char	*ike_xform_id_name(unsigned int type, unsigned int id);
/* Also declared in ike_msg.h, next to enum ike_err. */
const char	*ike_err_name(int err);

/*
 * "NAME" for a known value, "UNKNOWN(123)" otherwise, into buf (always
 * NUL-terminated when len > 0); returns buf.  For example
 * ike_name_fmt(buf, sizeof(buf), ike_notify_name, n->type).
 */
const char	*ike_name_fmt(char *buf, size_t len,
		    const char *(*name)(unsigned int), unsigned int v);

#endif /* IKEV2D_IKE_NAMES_H */
