// Readiness probe for the local Kafka broker, run by deploy/local/pieces/kafka.sh with Java's
// single-file source launcher:  java -cp '<libs>/*' KafkaReady.java <bootstrap> <timeout-seconds>
//
// "Ready" means what the services need, not an open port:
//   1. the broker answers a metadata request (describeCluster) and can create a topic, and
//   2. the group coordinator is loaded: a consumer group can join, get an assignment and commit.
// Right after a start the coordinator reports COORDINATOR_LOAD_IN_PROGRESS for a moment; the
// consumer retries internally, and this program exits 0 only once the join has completed.
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

public class KafkaReady {
    static final String TOPIC = "crm-stack.readiness";
    static final String GROUP = "crm-stack-readiness";

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: KafkaReady <bootstrap> <timeout-seconds>");
            System.exit(2);
        }
        String bootstrap = args[0];
        long started = System.nanoTime();
        long deadline = started + TimeUnit.SECONDS.toNanos(Long.parseLong(args[1]));

        Properties adminProps = new Properties();
        adminProps.put("bootstrap.servers", bootstrap);
        adminProps.put("request.timeout.ms", "5000");
        adminProps.put("default.api.timeout.ms", "5000");
        int brokers = 0;
        try (Admin admin = Admin.create(adminProps)) {
            while (true) {
                try {
                    DescribeClusterResult cluster = admin.describeCluster();
                    brokers = cluster.nodes().get(5, TimeUnit.SECONDS).size();
                    if (brokers > 0 && cluster.controller().get(5, TimeUnit.SECONDS) != null) {
                        try {
                            admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1))).all().get(10, TimeUnit.SECONDS);
                        } catch (ExecutionException e) {
                            if (!(e.getCause() instanceof TopicExistsException)) throw e;
                        }
                        break;
                    }
                } catch (Exception e) {
                    if (System.nanoTime() > deadline) fail("metadata", e);
                }
                if (System.nanoTime() > deadline) fail("metadata", null);
                Thread.sleep(250);
            }
        }
        long metadataMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

        Properties consumerProps = new Properties();
        consumerProps.put("bootstrap.servers", bootstrap);
        consumerProps.put("group.id", GROUP);
        consumerProps.put("enable.auto.commit", "false");
        consumerProps.put("auto.offset.reset", "latest");
        consumerProps.put("key.deserializer", ByteArrayDeserializer.class.getName());
        consumerProps.put("value.deserializer", ByteArrayDeserializer.class.getName());
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerProps)) {
            consumer.subscribe(List.of(TOPIC));
            while (consumer.assignment().isEmpty()) {
                if (System.nanoTime() > deadline) fail("group coordinator (consumer group join)", null);
                consumer.poll(Duration.ofMillis(200));
            }
            consumer.commitSync(Duration.ofSeconds(10));
        } catch (Exception e) {
            fail("group coordinator (consumer group join)", e);
        }
        long totalMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        System.out.printf("metadata ok (%d broker) in %d ms; consumer group '%s' joined and committed in %d ms%n",
                brokers, metadataMs, GROUP, totalMs);
    }

    static void fail(String what, Exception e) {
        System.err.println("kafka not ready: " + what + (e == null ? " timed out" : ": " + e));
        System.exit(1);
    }
}
