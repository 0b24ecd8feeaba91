# Helpers shared by the benchmark scripts in this folder. Source this file, do not run it.
#
# Expects: root (repository root), bench (this folder), results (output folder), and, after
# start_environment, the variables of the cluster's env file (KUBECONFIG_ADMIN, KUBECTL,
# LOCAL_REGISTRY, LOG_DIR...).

BENCH_NAMESPACE=canary-bench
BENCH_STATEFULSET=web
BENCH_CONTAINER=app
# Runs per compared command; override with BENCH_RUNS.
BENCH_RUNS=${BENCH_RUNS:-10}
# 1-minute load average below which a measurement starts, and how long to wait for it.
BENCH_MAX_LOAD=${BENCH_MAX_LOAD:-1.0}
BENCH_LOAD_WAIT_SECONDS=${BENCH_LOAD_WAIT_SECONDS:-900}

# Maven prints a millisecond timestamp on every log line, which detection.py and scale.py read.
BENCH_MAVEN_OPTS="-Dorg.slf4j.simpleLogger.showDateTime=true -Dorg.slf4j.simpleLogger.dateTimeFormat=yyyy-MM-dd'T'HH:mm:ss.SSSXXX"

blog() { printf '[bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

load1() { cut -d' ' -f1 /proc/loadavg; }

# Waits until the 1-minute load average is below BENCH_MAX_LOAD, so that other builds on the same
# cores disturb the figures less. Proceeds after BENCH_LOAD_WAIT_SECONDS with a warning, because
# the load is recorded with every result anyway.
wait_for_low_load() {
  local deadline=$((SECONDS + BENCH_LOAD_WAIT_SECONDS)) announced=0
  while awk -v load="$(load1)" -v max="$BENCH_MAX_LOAD" 'BEGIN { exit !(load > max) }'; do
    if ((SECONDS >= deadline)); then
      blog "WARNING: load $(load1) still above $BENCH_MAX_LOAD after ${BENCH_LOAD_WAIT_SECONDS}s; measuring anyway"
      return 0
    fi
    if ((!announced)); then
      blog "waiting for the 1-minute load ($(load1)) to drop below $BENCH_MAX_LOAD"
      announced=1
    fi
    sleep 10
  done
}

# Prints the machine, versions and load as a JSON object, for the results files.
machine_json() {
  local plugin_jar=$HOME/.m2/repository/io/github/stscanary/canary-maven-plugin/0.1.0-SNAPSHOT/canary-maven-plugin-0.1.0-SNAPSHOT.jar
  python3 - "$@" <<PY
import json, os, subprocess, sys
def run(*command):
    try:
        return subprocess.run(command, capture_output=True, text=True, timeout=60).stdout.strip()
    except (OSError, subprocess.TimeoutExpired) as error:
        return "unavailable: %s" % error
print(json.dumps({
    "nproc": run("nproc"),
    "memory": run("free", "-h").splitlines()[1].split()[1],
    "cpu": next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo")
                 if line.startswith("model name")), "unknown"),
    "uptime": run("uptime"),
    "java": run("java", "-version") or subprocess.run(["java", "-version"], capture_output=True,
                                                      text=True).stderr.splitlines()[0],
    "maven": run("mvn", "-v").splitlines()[0].replace("\x1b[1m", "").replace("\x1b[m", ""),
    "kubectl": run("$KUBECTL", "version", "--client", "-o", "json"),
    "hyperfine": run("hyperfine", "--version"),
    "commit": run("git", "-C", "$root", "rev-parse", "HEAD"),
    "plugin_jar_sha256": run("sha256sum", "$plugin_jar").split(" ")[0],
}))
PY
}

# Starts the local registries and control plane in BENCH_CLUSTER_DIR with the apiserver's audit
# log, after waiting until no other environment listens on the fixed ports.
start_environment() {
  local deadline=$((SECONDS + ${BENCH_PORT_WAIT_SECONDS:-1800})) announced=0
  while ss -ltn | grep -qE '127\.0\.0\.1:(6443|5000) '; do
    if [[ -f $BENCH_CLUSTER_DIR/env ]] && grep -q "$BENCH_CLUSTER_DIR" <(ps -eo args); then
      break
    fi
    ((SECONDS < deadline)) || {
      blog "another environment still listens on 127.0.0.1:6443 or :5000; stop it and retry"
      return 1
    }
    if ((!announced)); then
      blog "another environment is up (port 6443 or 5000); waiting for it to stop"
      announced=1
    fi
    sleep 15
  done
  CANARY_APISERVER_AUDIT=1 bash "$root/src/test/cluster/start" "$BENCH_CLUSTER_DIR"
  # shellcheck disable=SC1091
  source "$BENCH_CLUSTER_DIR/env"
  export KUBECONFIG_ADMIN KUBECTL LOCAL_REGISTRY LOG_DIR
  [[ -f $LOG_DIR/audit.log ]] || {
    blog "no audit log in $LOG_DIR: an environment without CANARY_APISERVER_AUDIT=1 was reused;" \
      "stop it with: bash $root/src/test/cluster/stop $BENCH_CLUSTER_DIR"
    return 1
  }
}

stop_environment() {
  bash "$root/src/test/cluster/stop" "$BENCH_CLUSTER_DIR" || true
}

kube() {
  "$KUBECTL" --kubeconfig="$KUBECONFIG_ADMIN" -n "$BENCH_NAMESPACE" "$@"
}

# Runs Maven in the benchmark project with the cluster and registry settings.
bench_mvn() {
  (cd "$bench/project" && mvn -B "$@" \
    -Dcanary.kubeconfig="$KUBECONFIG_ADMIN" \
    -Dcanary.namespace="$BENCH_NAMESPACE" \
    -Dcanary.statefulSet="$BENCH_STATEFULSET")
}

# Prints the image reference for TAG in the local registry.
bench_image() {
  printf '%s/library/bench:%s\n' "$LOCAL_REGISTRY" "$1"
}

# Tags that the benchmarks deploy. canary:deploy checks that the image exists in the registry
# before it patches, so push_images pushes one small image under all of them.
BENCH_TAGS=(v1 v2 slow-v2 scale-1 scale-2 scale-3 scale-4 scale-5)

push_images() {
  local content=$bench/project/target/content/tags extra
  python3 "$bench/tools/make_content.py" "$content" tags --small
  extra=$(IFS=,; echo "${BENCH_TAGS[*]:1}")
  bench_mvn -q canary:build -Dbench.content="$content" -Dcanary.image="$LOCAL_REGISTRY/library/bench" \
    -Dbench.tag="${BENCH_TAGS[0]}" -Dcanary.extraTags="$extra"
}

# Creates the benchmark StatefulSet with REPLICAS pods on image v1 and waits until all are Ready.
apply_statefulset() {
  local replicas=$1
  bench_mvn -q canary:apply -Dbench.replicas="$replicas" -Dcanary.image="$(bench_image v1)" \
    -Dcanary.timeout=15m
}

delete_statefulset() {
  kube delete statefulset "$BENCH_STATEFULSET" --ignore-not-found --wait=true >/dev/null
  kube wait --for=delete pod -l app="$BENCH_STATEFULSET" --timeout=5m >/dev/null 2>&1 || true
}

# Sets IMAGE on every pod (partition 0) and waits for the rollout, as the reset between runs.
reset_statefulset() {
  local image=$1
  kube patch statefulset "$BENCH_STATEFULSET" --type=strategic -p \
    "{\"spec\":{\"updateStrategy\":{\"rollingUpdate\":{\"partition\":0}},\"template\":{\"spec\":{\"containers\":[{\"name\":\"$BENCH_CONTAINER\",\"image\":\"$image\"}]}}}}" >/dev/null
  kube rollout status statefulset "$BENCH_STATEFULSET" --timeout=15m >/dev/null
}

# Adds the load averages before and after a benchmark, and the machine, to its result file.
record_load() {
  local file=$1 before=$2
  python3 - "$file" "$before" "$(cut -d' ' -f1-3 /proc/loadavg)" "$results/machine.json" <<'PY'
import json, sys
path, before, after, machine = sys.argv[1:]
with open(path) as file:
    result = json.load(file)
result["load_before"] = before
result["load_after"] = after
try:
    with open(machine) as file:
        result["machine"] = json.load(file)
except FileNotFoundError:
    pass
with open(path, "w") as file:
    json.dump(result, file, indent=2)
PY
}
