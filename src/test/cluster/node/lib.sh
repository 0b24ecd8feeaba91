# Names, addresses and paths of the real node: a kubelet with containerd that runs pods on this
# machine beside the nodes that kwok simulates. Source this file after ../versions and ../lib.sh,
# do not run it.

REAL_NODE_NAME=real-node

# The taint keeps every pod without a matching toleration on the simulated nodes.
REAL_NODE_TAINT_KEY=stscanary.io/real-node
REAL_NODE_LABEL=stscanary.io/real-node=true

# Pods get addresses from REAL_NODE_POD_SUBNET on the Linux bridge REAL_NODE_BRIDGE. The bridge has
# the address REAL_NODE_IP, which is also the node's InternalIP, because the kubelet rejects a
# loopback --node-ip. The subnet lies outside POD_CIDR and SERVICE_CLUSTER_IP_RANGE of ../lib.sh.
# The bridge has no uplink, so only this machine and its pods reach these addresses.
REAL_NODE_BRIDGE=stscanary0
REAL_NODE_POD_SUBNET=10.88.0.0/24
REAL_NODE_IP=10.88.0.1
REAL_NODE_IP_PREFIX_LENGTH=24

# Every server of the node listens on 127.0.0.1 only, and kube-proxy opens NodePorts only on
# 127.0.0.0/8.
KUBELET_PORT=10250
KUBELET_HEALTHZ_PORT=10248
KUBE_PROXY_HEALTHZ_PORT=10256
KUBE_PROXY_METRICS_PORT=10249
REAL_NODE_PORTS=("$KUBELET_PORT" "$KUBELET_HEALTHZ_PORT" "$KUBE_PROXY_HEALTHZ_PORT"
  "$KUBE_PROXY_METRICS_PORT")

# Images that build-images writes once per machine as OCI layouts. node/start pushes them to the
# local registry at every start, because stop deletes the registry's storage with DIR/state.
# The pause tag is the version that kubeadm v1.36 pins (PauseVersion in its constants.go).
STSCANARY_CACHE_ROOT=${STSCANARY_CACHE:-$HOME/.cache/stscanary}
IMAGE_CACHE_DIR=$STSCANARY_CACHE_ROOT/images
NGINX_ROOTFS_DIR=$STSCANARY_CACHE_ROOT/nginx-rootfs
PAUSE_IMAGE_REPOSITORY=library/pause
PAUSE_IMAGE_TAG=3.10.2
NGINX_IMAGE_REPOSITORY=library/nginx-debian
NGINX_IMAGE_TAG=bookworm
DEBIAN_SUITE=bookworm
DEBIAN_MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}

# Debian packages that the node and the image build need, and the programs node/start checks for.
REAL_NODE_PACKAGES="containerd runc containernetworking-plugins skopeo umoci debootstrap iptables gcc libc6-dev"
REAL_NODE_TOOLS=(containerd containerd-shim-runc-v2 runc ctr skopeo umoci debootstrap iptables
  iptables-save ip gcc openssl curl setsid)
CNI_BIN_DIR=/usr/lib/cni

# Sets the paths of the node below DIR/node and creates the folders. Call after init_layout DIR.
init_node_layout() {
  node_dir=$dir/node
  node_pid_dir=$node_dir/pids
  node_log_dir=$dir/logs
  containerd_dir=$node_dir/containerd
  containerd_socket=$node_dir/containerd.sock
  kubelet_dir=$node_dir/kubelet
  kube_proxy_dir=$node_dir/kube-proxy
  cni_dir=$node_dir/cni
  node_pki_dir=$node_dir/pki
  mkdir -p "$node_dir" "$node_pid_dir" "$containerd_dir" "$kubelet_dir" "$kube_proxy_dir" \
    "$cni_dir/net.d" "$node_pki_dir" "$node_log_dir"
  chmod 700 "$node_dir"
}

# Succeeds when the pid file of node component NAME names a live process running the recorded
# executable, as component_running does for the control plane.
node_component_running() {
  local pid_file=$node_pid_dir/$1.pid pid executable actual
  [[ -f $pid_file ]] || return 1
  read -r pid executable <"$pid_file" || return 1
  [[ $pid =~ ^[0-9]+$ ]] || return 1
  actual=$(readlink "/proc/$pid/exe" 2>/dev/null) || return 1
  [[ $actual == "$executable" ]]
}

node_kubectl() {
  timeout 30 "$BIN_DIR/kubectl" --kubeconfig="$admin_kubeconfig" --request-timeout=20s "$@"
}

# Prints the mount points at or below PATH, deepest first, from /proc/self/mountinfo.
mounts_below() {
  local path=$1
  awk -v prefix="$path" '$5 == prefix || index($5, prefix "/") == 1 { print $5 }' /proc/self/mountinfo |
    awk '{ print length($0) " " $0 }' | sort -rn | cut -d' ' -f2-
}
