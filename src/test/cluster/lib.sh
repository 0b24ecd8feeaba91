# Addresses, file layout and process checks shared by start and stop. Source this file, do not
# run it.

# Every server binds to loopback. Change a port here when another program on the host uses it.
LOCAL_REGISTRY_ADDRESS=127.0.0.1:5000
PRIVATE_REGISTRY_ADDRESS=127.0.0.1:5443
PRIVATE_REGISTRY_USERNAME=canary
ETCD_CLIENT_ADDRESS=127.0.0.1:2379
ETCD_PEER_ADDRESS=127.0.0.1:2380
APISERVER_PORT=6443
CONTROLLER_MANAGER_PORT=10257
SCHEDULER_PORT=10259
KWOK_ADDRESS=127.0.0.1:10247
LISTEN_ADDRESSES=("$LOCAL_REGISTRY_ADDRESS" "$PRIVATE_REGISTRY_ADDRESS" "$ETCD_CLIENT_ADDRESS"
  "$ETCD_PEER_ADDRESS" "127.0.0.1:$APISERVER_PORT" "127.0.0.1:$CONTROLLER_MANAGER_PORT"
  "127.0.0.1:$SCHEDULER_PORT" "$KWOK_ADDRESS")

# The apiserver's --advertise-address becomes the endpoint of the "kubernetes" Service, and
# Endpoints validation rejects loopback addresses. start puts this address on the loopback
# interface of network namespace NETNS_NAME, and stop deletes the namespace.
# The host gets an unreachable route for SIMULATED_ADDRESS_RANGE (unless it routes that range
# already), so a dial from the host to the advertise or node addresses fails on this machine.
ADVERTISE_ADDRESS=198.18.0.1
SIMULATED_ADDRESS_RANGE=198.18.0.0/15
NETNS_NAME=stscanary

# These addresses exist only as data inside the simulated cluster, so no process listens on them.
# Nothing on this host dials them either, because no kube-proxy runs and the pods are simulated.
SERVICE_CLUSTER_IP_RANGE=10.96.0.0/16
KUBERNETES_SERVICE_IP=10.96.0.1
POD_CIDR=10.244.0.0/16
NODE_IP=198.18.0.10

NODE_COUNT=3
RESTRICTED_NAMESPACE=canary-restricted

absolute_path() {
  local path=$1
  [[ $path == /* ]] || path=$PWD/$path
  printf '%s\n' "$path"
}

# Sets the paths below DIR and creates the folders.
init_layout() {
  dir=$1
  state_dir=$dir/state
  pki_dir=$state_dir/pki
  pid_dir=$dir/pids
  log_dir=$dir/logs
  env_file=$dir/env
  admin_kubeconfig=$dir/admin.kubeconfig
  restricted_kubeconfig=$dir/restricted.kubeconfig
  mkdir -p "$state_dir" "$pki_dir" "$pid_dir" "$log_dir"
  chmod 700 "$state_dir"
}

# Prints the seconds since START, a value of $EPOCHREALTIME, with one decimal.
elapsed() {
  local start=${1/,/.} now=${EPOCHREALTIME/,/.}
  awk -v start="$start" -v now="$now" 'BEGIN { printf "%.1f", now - start }'
}

# Succeeds when the pid file of NAME names a live process running the recorded executable.
# Checking the executable keeps stop from signalling an unrelated process that reused the pid.
component_running() {
  local pid_file=$pid_dir/$1.pid pid executable actual
  [[ -f $pid_file ]] || return 1
  read -r pid executable <"$pid_file" || return 1
  [[ $pid =~ ^[0-9]+$ ]] || return 1
  actual=$(readlink "/proc/$pid/exe" 2>/dev/null) || return 1
  [[ $actual == "$executable" ]]
}

local_registry_healthy() {
  curl -fsS --max-time 2 -o /dev/null "http://$LOCAL_REGISTRY_ADDRESS/v2/"
}

# The password comes from the htpasswd call in start, or from the env file on reuse.
private_registry_healthy() {
  local password=${private_password:-$(sed -n 's/^PRIVATE_REGISTRY_PASSWORD=//p' "$env_file" 2>/dev/null)}
  curl -fsS --max-time 2 -o /dev/null --cacert "$pki_dir/registry-ca.crt" \
    --user "$PRIVATE_REGISTRY_USERNAME:$password" "https://$PRIVATE_REGISTRY_ADDRESS/v2/"
}

apiserver_healthy() {
  curl -fsS --max-time 2 -o /dev/null --cacert "$pki_dir/ca.crt" \
    --cert "$pki_dir/admin.crt" --key "$pki_dir/admin.key" \
    "https://127.0.0.1:$APISERVER_PORT/readyz"
}

nodes_ready() {
  local ready
  ready=$(timeout 10 "$BIN_DIR/kubectl" --kubeconfig="$admin_kubeconfig" --request-timeout=5s \
    get nodes -o jsonpath='{range .items[*]}{.status.conditions[?(@.type=="Ready")].status}{"\n"}{end}' |
    grep -c '^True$')
  ((ready == NODE_COUNT))
}

# Prints a docker-registry (distribution 2.8) configuration for NAME on ADDRESS. A third argument
# "tls" adds the TLS certificate and basic authentication from the htpasswd file.
write_registry_config() {
  local name=$1 address=$2 mode=${3:-plain}
  cat <<YAML
version: 0.1
log:
  level: info
  fields:
    service: $name
storage:
  filesystem:
    rootdirectory: $state_dir/$name
  delete:
    enabled: true
  cache:
    blobdescriptor: inmemory
http:
  addr: $address
  secret: $(openssl rand -hex 16)
  headers:
    X-Content-Type-Options: [nosniff]
YAML
  if [[ $mode == tls ]]; then
    cat <<YAML
  tls:
    certificate: $pki_dir/registry.crt
    key: $pki_dir/registry.key
auth:
  htpasswd:
    realm: stscanary-private
    path: $state_dir/htpasswd
YAML
  fi
}

# Prints a kubeconfig with the apiserver's CA and a client certificate, all embedded.
write_certificate_kubeconfig() {
  local user=$1 certificate=$2 key=$3
  cat <<YAML
apiVersion: v1
kind: Config
clusters:
- name: stscanary
  cluster:
    server: https://127.0.0.1:$APISERVER_PORT
    certificate-authority-data: $(base64 -w0 "$pki_dir/ca.crt")
users:
- name: $user
  user:
    client-certificate-data: $(base64 -w0 "$certificate")
    client-key-data: $(base64 -w0 "$key")
contexts:
- name: $user@stscanary
  context:
    cluster: stscanary
    user: $user
    namespace: default
current-context: $user@stscanary
YAML
}

# Prints a kubeconfig with the apiserver's CA and a bearer token, defaulting to NAMESPACE.
write_token_kubeconfig() {
  local token=$1 namespace=$2
  cat <<YAML
apiVersion: v1
kind: Config
clusters:
- name: stscanary
  cluster:
    server: https://127.0.0.1:$APISERVER_PORT
    certificate-authority-data: $(base64 -w0 "$pki_dir/ca.crt")
users:
- name: canary-deployer
  user:
    token: $token
contexts:
- name: canary-deployer@stscanary
  context:
    cluster: stscanary
    user: canary-deployer
    namespace: $namespace
current-context: canary-deployer@stscanary
YAML
}
