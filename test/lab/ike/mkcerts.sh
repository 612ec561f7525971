# test/lab/ike/mkcerts.sh -- sourced (bash) by t_ike_cert.sh: a throw-away
# PKI made with the openssl CLI at test time (no key is committed):
#
#   ca.pem       ECDSA P-256 CA "C=CH, O=Tandem Lab, CN=Lab CA"
#   crl.pem      its CRL, revoking only revoked.pem
#   a-rsa, a-ec  node A (ikev2d): RSA-2048 / P-256, CN=a.lab,
#                subjectAltName DNS:a.lab, IP:$A_UP4
#   peer-rsa, peer-ec  the peer (charon): CN=peer.lab, DNS:peer.lab
#   revoked      P-256, CN=peer.lab, revoked in crl.pem
#
# mkcerts DIR: write NAME.pem / NAME.key into DIR (keys mode 600).

mkcerts()
{
	local d=$1 n

	mkdir -p "$d"
	(
	set -e
	cd "$d"
	umask 077
	openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 \
	    -out ca.key 2> /dev/null
	openssl req -x509 -new -key ca.key -sha256 -days 30 \
	    -subj "/C=CH/O=Tandem Lab/CN=Lab CA" \
	    -addext "basicConstraints=critical,CA:TRUE" \
	    -addext "keyUsage=critical,keyCertSign,cRLSign" \
	    -addext "subjectKeyIdentifier=hash" -out ca.pem
	openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 \
	    -out a-rsa.key 2> /dev/null
	openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 \
	    -out peer-rsa.key 2> /dev/null
	for n in a-ec peer-ec revoked; do
		openssl genpkey -algorithm EC \
		    -pkeyopt ec_paramgen_curve:P-256 -out $n.key 2> /dev/null
	done
	# openssl ca keeps the issued certificates for the CRL
	: > index.txt
	echo 1000 > serial
	echo 01 > crlnumber
	cat > ca.cnf <<-CNF
	[ ca ]
	default_ca = lab
	[ lab ]
	dir = .
	database = index.txt
	serial = serial
	crlnumber = crlnumber
	new_certs_dir = .
	certificate = ca.pem
	private_key = ca.key
	default_md = sha256
	default_days = 30
	default_crl_days = 30
	policy = any
	unique_subject = no
	copy_extensions = none
	[ any ]
	countryName = optional
	organizationName = optional
	commonName = supplied
	[ a ]
	basicConstraints = CA:FALSE
	authorityKeyIdentifier = keyid
	subjectAltName = DNS:a.lab, IP:$A_UP4
	[ peer ]
	basicConstraints = CA:FALSE
	authorityKeyIdentifier = keyid
	subjectAltName = DNS:peer.lab
	CNF
	for n in a-rsa a-ec peer-rsa peer-ec revoked; do
		case $n in
		a-*) cn=a.lab ext=a ;;
		*) cn=peer.lab ext=peer ;;
		esac
		openssl req -new -key $n.key -subj "/C=CH/O=Tandem Lab/CN=$cn" \
		    -out $n.csr
		openssl ca -batch -config ca.cnf -extensions $ext -notext \
		    -in $n.csr -out $n.pem 2> /dev/null
	done
	openssl ca -config ca.cnf -revoke revoked.pem 2> /dev/null
	openssl ca -config ca.cnf -gencrl -out crl.pem 2> /dev/null
	) || return 1
}

# mkcerts_rogue DIR: a second, unrelated CA ("CN=Rogue CA", P-256) and
# rogue.pem / rogue.key, an end entity it signed with the peer's very
# names (CN=peer.lab, DNS:peer.lab): nobody in the lab trusts it
# (t_ike_negative.sh: the untrusted certificate).
mkcerts_rogue()
{
	local d=$1

	mkdir -p "$d"
	(
	set -e
	cd "$d"
	umask 077
	openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 \
	    -out rogue-ca.key 2> /dev/null
	openssl req -x509 -new -key rogue-ca.key -sha256 -days 30 \
	    -subj "/C=CH/O=Tandem Lab/CN=Rogue CA" \
	    -addext "basicConstraints=critical,CA:TRUE" \
	    -addext "keyUsage=critical,keyCertSign,cRLSign" \
	    -addext "subjectKeyIdentifier=hash" -out rogue-ca.pem
	openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 \
	    -out rogue.key 2> /dev/null
	openssl req -new -key rogue.key -subj "/C=CH/O=Tandem Lab/CN=peer.lab" \
	    -out rogue.csr
	printf '%s\n' "basicConstraints = CA:FALSE" \
	    "authorityKeyIdentifier = keyid" "subjectAltName = DNS:peer.lab" \
	    > rogue.ext
	openssl x509 -req -in rogue.csr -CA rogue-ca.pem -CAkey rogue-ca.key \
	    -CAcreateserial -days 30 -sha256 -extfile rogue.ext \
	    -out rogue.pem 2> /dev/null
	) || return 1
}
