// Checks that both images reached the private registry with the settings.xml credentials and
// that the cluster runs v2 on pods 3 and 4 only. The registry is read with the same CA.
import groovy.json.JsonSlurper
import java.security.KeyStore
import java.security.cert.CertificateFactory
import javax.net.ssl.HttpsURLConnection
import javax.net.ssl.SSLContext
import javax.net.ssl.TrustManagerFactory

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

def statefulSet = kubectl(['get', 'statefulset', 'web', '-n', 'sts-private', '-o', 'json'])
assert statefulSet.status.updatedReplicas == 2
assert statefulSet.status.updateRevision != statefulSet.status.currentRevision
(0..4).each { ordinal ->
    def pod = kubectl(['get', 'pod', "web-${ordinal}".toString(), '-n', 'sts-private', '-o', 'json'])
    def expected = ordinal >= 3 ? 'v2' : 'v1'
    assert pod.spec.containers[0].image == "${env.PRIVATE_REGISTRY}/library/version-test:${expected}".toString()
}

def trust = KeyStore.getInstance(KeyStore.getDefaultType())
trust.load(null, null)
new File(env.PRIVATE_REGISTRY_CA).withInputStream { input ->
    CertificateFactory.getInstance('X.509').generateCertificates(input).eachWithIndex { cert, i ->
        trust.setCertificateEntry("ca-${i}", cert)
    }
}
def factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm())
factory.init(trust)
def context = SSLContext.getInstance('TLS')
context.init(null, factory.trustManagers, null)
def connection = (HttpsURLConnection) new URL("https://${env.PRIVATE_REGISTRY}/v2/library/version-test/tags/list").openConnection()
connection.SSLSocketFactory = context.socketFactory
def basic = "${env.PRIVATE_REGISTRY_USERNAME}:${env.PRIVATE_REGISTRY_PASSWORD}".bytes.encodeBase64().toString()
connection.setRequestProperty('Authorization', "Basic ${basic}")
assert connection.responseCode == 200
def tags = new JsonSlurper().parse(connection.inputStream)
assert tags.tags.containsAll(['v1', 'v2'])

def buildLog = new File(basedir, 'build.log').text
assert buildLog.contains("2 of 5 pods on ${env.PRIVATE_REGISTRY}/library/version-test:v2 (40%)")
assert buildLog.contains("settings.xml")
assert !buildLog.contains(env.PRIVATE_REGISTRY_PASSWORD)
true
