/*
 * ikev2d/ike_names.c -- *_name() for every enum of ike_const.h and for
 * enum ike_err (see ike_names.h).  Pure: static strings only.
 */
#include <stdio.h>
#include <string.h>

#include "tandem/util.h"
#include "ike_msg.h"
#include "ike_names.h"

const char *
ike_exch_name(unsigned int v)
{
	switch ((enum ike_exch)v) {
	case IKE_EXCH_SA_INIT:
		return "IKE_SA_INIT";
	case IKE_EXCH_AUTH:
		return "IKE_AUTH";
	case IKE_EXCH_CREATE_CHILD:
		return "CREATE_CHILD_SA";
	case IKE_EXCH_INFORMATIONAL:
		return "INFORMATIONAL";
	case IKE_EXCH_INTERMEDIATE:
		return "IKE_INTERMEDIATE";
	}
	return IKE_NAME_UNKNOWN;
}

const char *
ike_pld_name(unsigned int v)
{
	switch ((enum ike_pld)v) {
	case IKE_PLD_NONE:
		return "NONE";
	case IKE_PLD_SA:
		return "SA";
	case IKE_PLD_KE:
		return "KE";
	case IKE_PLD_IDI:
		return "IDi";
	case IKE_PLD_IDR:
		return "IDr";
	case IKE_PLD_CERT:
		return "CERT";
	case IKE_PLD_CERTREQ:
		return "CERTREQ";
	case IKE_PLD_AUTH:
		return "AUTH";
	case IKE_PLD_NONCE:
		return "Nonce";
	case IKE_PLD_NOTIFY:
		return "Notify";
	case IKE_PLD_DELETE:
		return "Delete";
	case IKE_PLD_VENDOR:
		return "VendorID";
	case IKE_PLD_TSI:
		return "TSi";
	case IKE_PLD_TSR:
		return "TSr";
	case IKE_PLD_SK:
		return "SK";
	case IKE_PLD_CP:
		return "CP";
	case IKE_PLD_EAP:
		return "EAP";
	case IKE_PLD_SKF:
		return "SKF";
	}
	return IKE_NAME_UNKNOWN;
}

const char *
ike_proto_name(unsigned int v)
{
	switch ((enum ike_proto)v) {
	case IKE_PROTO_NONE:
		return "NONE";
	case IKE_PROTO_IKE:
		return "IKE";
	case IKE_PROTO_AH:
		return "AH";
	case IKE_PROTO_ESP:
		return "ESP";
	}
	return IKE_NAME_UNKNOWN;
}

const char *
ike_xform_type_name(unsigned int v)
{
	switch ((enum ike_xform_type)v) {
	case IKE_XF_ENCR:
		return "ENCR";
	case IKE_XF_PRF:
		return "PRF";
	case IKE_XF_INTEG:
		return "INTEG";
	case IKE_XF_KE:
		return "KE";
	case IKE_XF_ESN:
		return "ESN";
	}
	return IKE_NAME_UNKNOWN;
}

const char *
ike_encr_name(unsigned int v)
{
	switch ((enum ike_encr)v) {
	case IKE_ENCR_3DES:
		return "3DES";
	case IKE_ENCR_NULL:
		return "NULL";
	case IKE_ENCR_AES_CBC:
		return "AES_CBC";
	case IKE_ENCR_AES_CTR:
		return "AES_CTR";
	case IKE_ENCR_AES_CCM_8:
		return "AES_CCM_8";
	case IKE_ENCR_AES_CCM_12:
		return "AES_CCM_12";
	case IKE_ENCR_AES_CCM_16:
		return "AES_CCM_16";
	case IKE_ENCR_AES_GCM_8:
		return "AES_GCM_8";
	case IKE_ENCR_AES_GCM_12:
		return "AES_GCM_12";
	case IKE_ENCR_AES_GCM_16:
		return "AES_GCM_16";
	case IKE_ENCR_CHACHA20_POLY1305:
		return "CHACHA20_POLY1305";
	}
	return IKE_NAME_UNKNOWN;
}

const char *
ike_prf_name(unsigned int v)
{
	switch ((enum ike_prf)v) {
	case IKE_PRF_HMAC_SHA1:
		return "HMAC_SHA1";
	case IKE_PRF_AES128_XCBC:
		return "AES128_XCBC";
	case IKE_PRF_HMAC_SHA2_256:
		return "HMAC_SHA2_256";
	case IKE_PRF_HMAC_SHA2_384:
		return "HMAC_SHA2_384";
	case IKE_PRF_HMAC_SHA2_512:
		return "HMAC_SHA2_512";
	}
	return IKE_NAME_UNKNOWN;
}

const char *
ike_integ_name(unsigned int v)
{
	switch ((enum ike_integ)v) {
	case IKE_INTEG_NONE:
		return "NONE";
	case IKE_INTEG_HMAC_SHA1_96:
		return "HMAC_SHA1_96";
	case IKE_INTEG_AES_XCBC_96:
		return "AES_XCBC_96";
	case IKE_INTEG_HMAC_SHA2_256_128:
		return "HMAC_SHA2_256_128";
	case IKE_INTEG_HMAC_SHA2_384_192:
		return "HMAC_SHA2_384_192";
	case IKE_INTEG_HMAC_SHA2_512_256:
		return "HMAC_SHA2_512_256";
	}
	return IKE_NAME_UNKNOWN;
}

const char *
ike_ke_name(unsigned int v)
{
	switch ((enum ike_ke)v) {
	case IKE_KE_NONE:
		return "NONE";
	case IKE_KE_MODP_2048:
		return "MODP_2048";
	case IKE_KE_MODP_3072:
		return "MODP_3072";
	case IKE_KE_MODP_4096:
		return "MODP_4096";
	case IKE_KE_ECP_256:
		return "ECP_256";
	case IKE_KE_ECP_384:
		return "ECP_384";
	case IKE_KE_ECP_521:
		return "ECP_521";
	case IKE_KE_CURVE25519:
		return "CURVE25519";
	case IKE_KE_CURVE448:
		return "CURVE448";
	}
	return IKE_NAME_UNKNOWN;
}

const char *
ike_esn_name(unsigned int v)
{
	switch ((enum ike_esn)v) {
	case IKE_ESN_NO:
		return "NO_ESN";
	case IKE_ESN_YES:
		return "ESN";
	}
	return IKE_NAME_UNKNOWN;
}

const char *
ike_id_type_name(unsigned int v)
{
	switch ((enum ike_id_type)v) {
	case IKE_ID_IPV4_ADDR:
		return "IPV4_ADDR";
	case IKE_ID_FQDN:
		return "FQDN";
	case IKE_ID_RFC822_ADDR:
		return "RFC822_ADDR";
	case IKE_ID_IPV6_ADDR:
		return "IPV6_ADDR";
	case IKE_ID_DER_ASN1_DN:
		return "DER_ASN1_DN";
	case IKE_ID_DER_ASN1_GN:
		return "DER_ASN1_GN";
	case IKE_ID_KEY_ID:
		return "KEY_ID";
	}
	return IKE_NAME_UNKNOWN;
}

const char *
ike_cert_enc_name(unsigned int v)
{
	switch ((enum ike_cert_enc)v) {
	case IKE_CERT_X509_SIG:
		return "X509_SIG";
	case IKE_CERT_CRL:
		return "CRL";
	case IKE_CERT_RAW_RSA:
		return "RAW_RSA";
	case IKE_CERT_HASH_URL_X509:
		return "HASH_URL_X509";
	}
	return IKE_NAME_UNKNOWN;
}

const char *
ike_auth_method_name(unsigned int v)
{
	switch ((enum ike_auth_method)v) {
	case IKE_AUTH_RSA_SIG:
		return "RSA_SIG";
	case IKE_AUTH_PSK:
		return "PSK";
	case IKE_AUTH_ECDSA_256:
		return "ECDSA_256";
	case IKE_AUTH_ECDSA_384:
		return "ECDSA_384";
	case IKE_AUTH_ECDSA_521:
		return "ECDSA_521";
	case IKE_AUTH_DIGITAL_SIG:
		return "DIGITAL_SIG";
	}
	return IKE_NAME_UNKNOWN;
}

const char *
ike_hash_name(unsigned int v)
{
	switch ((enum ike_hash)v) {
	case IKE_HASH_SHA1:
		return "SHA1";
	case IKE_HASH_SHA2_256:
		return "SHA2_256";
	case IKE_HASH_SHA2_384:
		return "SHA2_384";
	case IKE_HASH_SHA2_512:
		return "SHA2_512";
	case IKE_HASH_IDENTITY:
		return "IDENTITY";
	}
	return IKE_NAME_UNKNOWN;
}

const char *
ike_notify_name(unsigned int v)
{
	switch ((enum ike_notify)v) {
	case IKE_N_UNSUPPORTED_CRITICAL_PAYLOAD:
		return "UNSUPPORTED_CRITICAL_PAYLOAD";
	case IKE_N_INVALID_IKE_SPI:
		return "INVALID_IKE_SPI";
	case IKE_N_INVALID_MAJOR_VERSION:
		return "INVALID_MAJOR_VERSION";
	case IKE_N_INVALID_SYNTAX:
		return "INVALID_SYNTAX";
	case IKE_N_INVALID_MESSAGE_ID:
		return "INVALID_MESSAGE_ID";
	case IKE_N_INVALID_SPI:
		return "INVALID_SPI";
	case IKE_N_NO_PROPOSAL_CHOSEN:
		return "NO_PROPOSAL_CHOSEN";
	case IKE_N_INVALID_KE_PAYLOAD:
		return "INVALID_KE_PAYLOAD";
	case IKE_N_AUTHENTICATION_FAILED:
		return "AUTHENTICATION_FAILED";
	case IKE_N_SINGLE_PAIR_REQUIRED:
		return "SINGLE_PAIR_REQUIRED";
	case IKE_N_NO_ADDITIONAL_SAS:
		return "NO_ADDITIONAL_SAS";
	case IKE_N_INTERNAL_ADDRESS_FAILURE:
		return "INTERNAL_ADDRESS_FAILURE";
	case IKE_N_FAILED_CP_REQUIRED:
		return "FAILED_CP_REQUIRED";
	case IKE_N_TS_UNACCEPTABLE:
		return "TS_UNACCEPTABLE";
	case IKE_N_INVALID_SELECTORS:
		return "INVALID_SELECTORS";
	case IKE_N_UNACCEPTABLE_ADDRESSES:
		return "UNACCEPTABLE_ADDRESSES";
	case IKE_N_UNEXPECTED_NAT_DETECTED:
		return "UNEXPECTED_NAT_DETECTED";
	case IKE_N_TEMPORARY_FAILURE:
		return "TEMPORARY_FAILURE";
	case IKE_N_CHILD_SA_NOT_FOUND:
		return "CHILD_SA_NOT_FOUND";
	case IKE_N_INITIAL_CONTACT:
		return "INITIAL_CONTACT";
	case IKE_N_SET_WINDOW_SIZE:
		return "SET_WINDOW_SIZE";
	case IKE_N_ADDITIONAL_TS_POSSIBLE:
		return "ADDITIONAL_TS_POSSIBLE";
	case IKE_N_IPCOMP_SUPPORTED:
		return "IPCOMP_SUPPORTED";
	case IKE_N_NAT_DETECTION_SOURCE_IP:
		return "NAT_DETECTION_SOURCE_IP";
	case IKE_N_NAT_DETECTION_DESTINATION_IP:
		return "NAT_DETECTION_DESTINATION_IP";
	case IKE_N_COOKIE:
		return "COOKIE";
	case IKE_N_USE_TRANSPORT_MODE:
		return "USE_TRANSPORT_MODE";
	case IKE_N_HTTP_CERT_LOOKUP_SUPPORTED:
		return "HTTP_CERT_LOOKUP_SUPPORTED";
	case IKE_N_REKEY_SA:
		return "REKEY_SA";
	case IKE_N_ESP_TFC_PADDING_NOT_SUPPORTED:
		return "ESP_TFC_PADDING_NOT_SUPPORTED";
	case IKE_N_NON_FIRST_FRAGMENTS_ALSO:
		return "NON_FIRST_FRAGMENTS_ALSO";
	case IKE_N_MOBIKE_SUPPORTED:
		return "MOBIKE_SUPPORTED";
	case IKE_N_ADDITIONAL_IP4_ADDRESS:
		return "ADDITIONAL_IP4_ADDRESS";
	case IKE_N_ADDITIONAL_IP6_ADDRESS:
		return "ADDITIONAL_IP6_ADDRESS";
	case IKE_N_NO_ADDITIONAL_ADDRESSES:
		return "NO_ADDITIONAL_ADDRESSES";
	case IKE_N_UPDATE_SA_ADDRESSES:
		return "UPDATE_SA_ADDRESSES";
	case IKE_N_COOKIE2:
		return "COOKIE2";
	case IKE_N_NO_NATS_ALLOWED:
		return "NO_NATS_ALLOWED";
	case IKE_N_MULTIPLE_AUTH_SUPPORTED:
		return "MULTIPLE_AUTH_SUPPORTED";
	case IKE_N_IKEV2_MESSAGE_ID_SYNC_SUPPORTED:
		return "IKEV2_MESSAGE_ID_SYNC_SUPPORTED";
	case IKE_N_IPSEC_REPLAY_COUNTER_SYNC_SUPPORTED:
		return "IPSEC_REPLAY_COUNTER_SYNC_SUPPORTED";
	case IKE_N_IKEV2_MESSAGE_ID_SYNC:
		return "IKEV2_MESSAGE_ID_SYNC";
	case IKE_N_IPSEC_REPLAY_COUNTER_SYNC:
		return "IPSEC_REPLAY_COUNTER_SYNC";
	case IKE_N_IKEV2_FRAGMENTATION_SUPPORTED:
		return "IKEV2_FRAGMENTATION_SUPPORTED";
	case IKE_N_SIGNATURE_HASH_ALGORITHMS:
		return "SIGNATURE_HASH_ALGORITHMS";
	}
	return IKE_NAME_UNKNOWN;
}

const char *
ike_ts_type_name(unsigned int v)
{
	switch ((enum ike_ts_type)v) {
	case IKE_TS_IPV4_ADDR_RANGE:
		return "TS_IPV4_ADDR_RANGE";
	case IKE_TS_IPV6_ADDR_RANGE:
		return "TS_IPV6_ADDR_RANGE";
	}
	return IKE_NAME_UNKNOWN;
}

const char *
ike_cp_type_name(unsigned int v)
{
	switch ((enum ike_cp_type)v) {
	case IKE_CP_REQUEST:
		return "CFG_REQUEST";
	case IKE_CP_REPLY:
		return "CFG_REPLY";
	case IKE_CP_SET:
		return "CFG_SET";
	case IKE_CP_ACK:
		return "CFG_ACK";
	}
	return IKE_NAME_UNKNOWN;
}

const char *
ike_cfg_attr_name(unsigned int v)
{
	switch ((enum ike_cfg_attr)v) {
	case IKE_CFG_INTERNAL_IP4_ADDRESS:
		return "INTERNAL_IP4_ADDRESS";
	case IKE_CFG_INTERNAL_IP4_NETMASK:
		return "INTERNAL_IP4_NETMASK";
	case IKE_CFG_INTERNAL_IP4_DNS:
		return "INTERNAL_IP4_DNS";
	case IKE_CFG_INTERNAL_IP4_NBNS:
		return "INTERNAL_IP4_NBNS";
	case IKE_CFG_INTERNAL_IP4_DHCP:
		return "INTERNAL_IP4_DHCP";
	case IKE_CFG_APPLICATION_VERSION:
		return "APPLICATION_VERSION";
	case IKE_CFG_INTERNAL_IP6_ADDRESS:
		return "INTERNAL_IP6_ADDRESS";
	case IKE_CFG_INTERNAL_IP6_DNS:
		return "INTERNAL_IP6_DNS";
	case IKE_CFG_INTERNAL_IP6_DHCP:
		return "INTERNAL_IP6_DHCP";
	case IKE_CFG_INTERNAL_IP4_SUBNET:
		return "INTERNAL_IP4_SUBNET";
	case IKE_CFG_SUPPORTED_ATTRIBUTES:
		return "SUPPORTED_ATTRIBUTES";
	case IKE_CFG_INTERNAL_IP6_SUBNET:
		return "INTERNAL_IP6_SUBNET";
	}
	return IKE_NAME_UNKNOWN;
}

const char *
ike_eap_code_name(unsigned int v)
{
	switch ((enum ike_eap_code)v) {
	case IKE_EAP_REQUEST:
		return "REQUEST";
	case IKE_EAP_RESPONSE:
		return "RESPONSE";
	case IKE_EAP_SUCCESS:
		return "SUCCESS";
	case IKE_EAP_FAILURE:
		return "FAILURE";
	}
	return IKE_NAME_UNKNOWN;
}

const char *
ike_xform_id_name(unsigned int type, unsigned int id)
{
	switch ((enum ike_xform_type)type) {
	case IKE_XF_ENCR:
		return ike_encr_name(id);
	case IKE_XF_PRF:
		return ike_prf_name(id);
	case IKE_XF_INTEG:
		return ike_integ_name(id);
	case IKE_XF_KE:
		return ike_ke_name(id);
	case IKE_XF_ESN:
		return ike_esn_name(id);
	}
	return IKE_NAME_UNKNOWN;
}

/* Dense, so a table indexed by -err; the assert keeps it complete. */
static const char *const ike_err_names[] = {
	[-IKE_OK] = "OK",
	[-IKE_E_SHORT_HDR] = "SHORT_HDR",
	[-IKE_E_LEN_MISMATCH] = "LEN_MISMATCH",
	[-IKE_E_BAD_VERSION] = "BAD_VERSION",
	[-IKE_E_OLD_VERSION] = "OLD_VERSION",
	[-IKE_E_PLD_SHORT] = "PLD_SHORT",
	[-IKE_E_PLD_PAST_END] = "PLD_PAST_END",
	[-IKE_E_TRAILING] = "TRAILING",
	[-IKE_E_CHAIN_TOO_LONG] = "CHAIN_TOO_LONG",
	[-IKE_E_UNSUP_CRITICAL] = "UNSUP_CRITICAL",
	[-IKE_E_SK_NOT_LAST] = "SK_NOT_LAST",
	[-IKE_E_SK_NESTED] = "SK_NESTED",
	[-IKE_E_BODY_SHORT] = "BODY_SHORT",
	[-IKE_E_SA_EMPTY] = "SA_EMPTY",
	[-IKE_E_TOO_MANY_PROPOSALS] = "TOO_MANY_PROPOSALS",
	[-IKE_E_PROP_LEN] = "PROP_LEN",
	[-IKE_E_PROP_PAST_SA] = "PROP_PAST_SA",
	[-IKE_E_PROP_LAST] = "PROP_LAST",
	[-IKE_E_PROP_NUM] = "PROP_NUM",
	[-IKE_E_BAD_SPI_SIZE] = "BAD_SPI_SIZE",
	[-IKE_E_NO_XFORMS] = "NO_XFORMS",
	[-IKE_E_TOO_MANY_XFORMS] = "TOO_MANY_XFORMS",
	[-IKE_E_XFORM_LEN] = "XFORM_LEN",
	[-IKE_E_XFORM_PAST_PROP] = "XFORM_PAST_PROP",
	[-IKE_E_XFORM_LAST] = "XFORM_LAST",
	[-IKE_E_XFORM_COUNT] = "XFORM_COUNT",
	[-IKE_E_ATTR_PAST_XFORM] = "ATTR_PAST_XFORM",
	[-IKE_E_TOO_MANY_ATTRS] = "TOO_MANY_ATTRS",
	[-IKE_E_BAD_KEYLEN] = "BAD_KEYLEN",
	[-IKE_E_ID_LEN] = "ID_LEN",
	[-IKE_E_NONCE_LEN] = "NONCE_LEN",
	[-IKE_E_AUTH_LEN] = "AUTH_LEN",
	[-IKE_E_CERTREQ_LEN] = "CERTREQ_LEN",
	[-IKE_E_N_SPI] = "N_SPI",
	[-IKE_E_N_DATA_LEN] = "N_DATA_LEN",
	[-IKE_E_N_TYPE] = "N_TYPE",
	[-IKE_E_TOO_MANY_ALGS] = "TOO_MANY_ALGS",
	[-IKE_E_DEL_PROTO] = "DEL_PROTO",
	[-IKE_E_DEL_COUNT] = "DEL_COUNT",
	[-IKE_E_TS_COUNT] = "TS_COUNT",
	[-IKE_E_TOO_MANY_TS] = "TOO_MANY_TS",
	[-IKE_E_TS_LEN] = "TS_LEN",
	[-IKE_E_TS_PAST_END] = "TS_PAST_END",
	[-IKE_E_SKF_NUM] = "SKF_NUM",
	[-IKE_E_CP_ATTR_LEN] = "CP_ATTR_LEN",
	[-IKE_E_TOO_MANY_CP_ATTRS] = "TOO_MANY_CP_ATTRS",
	[-IKE_E_EAP_LEN] = "EAP_LEN",
	[-IKE_E_EAP_CODE] = "EAP_CODE",
	[-IKE_E_NOSPACE] = "NOSPACE",
	[-IKE_E_ENC_STATE] = "ENC_STATE",
	[-IKE_E_ENC_ARG] = "ENC_ARG",
	[-IKE_E_NO_PROPOSAL] = "NO_PROPOSAL",
	[-IKE_E_REPLY_COUNT] = "REPLY_COUNT",
	[-IKE_E_REPLY_MISMATCH] = "REPLY_MISMATCH",
};
_Static_assert(nitems(ike_err_names) == 1 - IKE_E_LAST,
    "a name for every enum ike_err value");

const char *
ike_err_name(int err)
{
	if (err > 0 || err < IKE_E_LAST || ike_err_names[-err] == NULL)
		return IKE_NAME_UNKNOWN;
	return ike_err_names[-err];
}

const char *
ike_name_fmt(char *buf, size_t len, const char *(*name)(unsigned int),
    unsigned int v)
{
	const char	*s = name(v);

	if (len == 0)
		return buf;
	if (strcmp(s, IKE_NAME_UNKNOWN) != 0)
		snprintf(buf, len, "%s", s);
	else
		snprintf(buf, len, "%s(%u)", IKE_NAME_UNKNOWN, v);
	return buf;
}
