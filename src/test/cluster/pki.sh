# Certificates, keys and kubeconfigs of the local environment, generated with openssl at each
# start. Source this file after lib.sh, do not run it.

CERTIFICATE_DAYS=30

# Writes a P-256 key in SEC1 form ("BEGIN EC PRIVATE KEY"). fabric8 kubernetes-client 8.0.0
# rejects a PKCS#8 EC key ("BEGIN PRIVATE KEY") in a kubeconfig with "Invalid DER: object is
# not integer".
new_key() {
  (
    umask 077
    openssl ecparam -name prime256v1 -genkey -noout -out "$1"
  )
}

# Creates NAME.crt and NAME.key, a self-signed CA with common name CN.
create_ca() {
  local name=$1 cn=$2
  new_key "$pki_dir/$name.key"
  openssl req -x509 -new -key "$pki_dir/$name.key" -subj "/CN=$cn" -days "$CERTIFICATE_DAYS" \
    -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign \
    -out "$pki_dir/$name.crt"
}

# Creates NAME.crt and NAME.key signed by CA. USAGE is serverAuth or clientAuth. SANS is a
# subjectAltName value such as "IP:127.0.0.1,DNS:localhost", or empty.
create_certificate() {
  local name=$1 ca=$2 subject=$3 usage=$4 sans=${5:-}
  new_key "$pki_dir/$name.key"
  local extensions="basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=$usage"
  [[ -n $sans ]] && extensions+=$'\n'"subjectAltName=$sans"
  openssl req -new -key "$pki_dir/$name.key" -subj "$subject" |
    openssl x509 -req -CA "$pki_dir/$ca.crt" -CAkey "$pki_dir/$ca.key" -CAcreateserial \
      -days "$CERTIFICATE_DAYS" -extfile <(printf '%s\n' "$extensions") \
      -out "$pki_dir/$name.crt" 2>/dev/null
}

create_pki() {
  local loopback="IP:127.0.0.1,DNS:localhost"

  create_ca ca stscanary-kubernetes-ca
  create_certificate apiserver ca /CN=kube-apiserver serverAuth \
    "$loopback,IP:$ADVERTISE_ADDRESS,IP:$KUBERNETES_SERVICE_IP,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local"
  create_certificate kube-controller-manager-serving ca /CN=kube-controller-manager serverAuth "$loopback"
  create_certificate kube-scheduler-serving ca /CN=kube-scheduler serverAuth "$loopback"

  # The apiserver maps CN to the user name and O to groups. system:masters bypasses RBAC.
  create_certificate admin ca "/O=system:masters/CN=stscanary-admin" clientAuth
  create_certificate kube-controller-manager ca /CN=system:kube-controller-manager clientAuth
  create_certificate kube-scheduler ca /CN=system:kube-scheduler clientAuth
  create_certificate kwok ca "/O=system:masters/CN=kwok" clientAuth

  # The apiserver trusts user headers from aggregated API servers that present this client cert.
  create_ca front-proxy-ca stscanary-front-proxy-ca
  create_certificate front-proxy-client front-proxy-ca /CN=front-proxy-client clientAuth

  # Key pair that signs and verifies ServiceAccount tokens.
  (
    umask 077
    openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$pki_dir/service-account.key" 2>/dev/null
  )
  openssl pkey -in "$pki_dir/service-account.key" -pubout -out "$pki_dir/service-account.pub"

  create_ca registry-ca stscanary-registry-ca
  create_certificate registry registry-ca /CN=stscanary-private-registry serverAuth "$loopback"

  local user
  for user in kube-controller-manager kube-scheduler kwok; do
    write_certificate_kubeconfig "$user" "$pki_dir/$user.crt" "$pki_dir/$user.key" \
      >"$state_dir/$user.kubeconfig"
  done
  (
    umask 077
    write_certificate_kubeconfig admin "$pki_dir/admin.crt" "$pki_dir/admin.key" >"$admin_kubeconfig"
  )
}
