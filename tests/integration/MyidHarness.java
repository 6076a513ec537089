// ZooKeeper's own reading of myid, for tests/integration/myid_differential_test.cpp: for each
// zoo.cfg path given, QuorumPeerConfig.parse() it (which reads <dataDir>/myid) and print one line,
// the server id or "refused". The reason for a refusal goes to stderr.
import org.apache.zookeeper.server.quorum.QuorumPeerConfig;

public class MyidHarness {
    public static void main(String[] args) {
        for (String path : args) {
            try {
                QuorumPeerConfig config = new QuorumPeerConfig();
                config.parse(path);
                System.out.println(config.getServerId());
            } catch (Exception e) {
                System.out.println("refused");
                System.err.println(path + ": " + e + (e.getCause() != null ? " (" + e.getCause() + ")" : ""));
            }
        }
        System.out.flush();
    }
}
