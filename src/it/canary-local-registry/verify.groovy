// Checks the cluster and the registry after the scenario, not only the build log.
import groovy.json.JsonSlurper

def env = new Properties()
new File(clusterEnv).withInputStream { env.load(it) }

def kubectl = { List<String> args ->
    def command = [env.KUBECTL, '--kubeconfig', env.KUBECONFIG_ADMIN, '--request-timeout=20s'] + args
    def process = command.execute()
    def out = new StringBuilder(), err = new StringBuilder()
    process.consumeProcessOutput(out, err)
    process.waitForOrKill(30000)
    assert process.exitValue() == 0 : "kubectl ${args} failed: ${err}"
    new JsonSlurper().parseText(out.toString())
}

def statefulSet = kubectl(['get', 'statefulset', 'nginx-statefulset', '-n', 'sts', '-o', 'json'])
def updateRevision = statefulSet.status.updateRevision
def currentRevision = statefulSet.status.currentRevision
assert statefulSet.spec.updateStrategy.rollingUpdate.partition == 3
assert statefulSet.status.updatedReplicas == 2
assert statefulSet.status.readyReplicas == 5
assert updateRevision != currentRevision

(0..4).each { ordinal ->
    def pod = kubectl(['get', 'pod', "nginx-statefulset-${ordinal}".toString(), '-n', 'sts', '-o', 'json'])
    def image = pod.spec.containers.find { it.name == 'nginx' }.image
    def revision = pod.metadata.labels['controller-revision-hash']
    def ready = pod.status.conditions.find { it.type == 'Ready' }?.status
    if (ordinal >= 3) {
        assert image == '127.0.0.1:5000/library/version-test:v2' : "pod ${ordinal} image ${image}"
        assert revision == updateRevision : "pod ${ordinal} revision ${revision}"
    } else {
        assert image == '127.0.0.1:5000/library/version-test:v1' : "pod ${ordinal} image ${image}"
        assert revision == currentRevision : "pod ${ordinal} revision ${revision}"
    }
    assert ready == 'True' : "pod ${ordinal} Ready is ${ready}"
}

def tags = new JsonSlurper().parse(new URL("http://${env.LOCAL_REGISTRY}/v2/library/version-test/tags/list"))
assert tags.tags.containsAll(['v1', 'v2'])

def buildLog = new File(basedir, 'build.log').text
assert buildLog.contains('2 of 5 pods on 127.0.0.1:5000/library/version-test:v2 (40%)')

def status = new JsonSlurper().parseText(buildLog.readLines().find { it.startsWith('{') && it.contains('"phase"') })
assert status.phase == 'Paused'
assert status.partition == 3
assert status.pods.count { it.role == 'canary' } == 2
true
