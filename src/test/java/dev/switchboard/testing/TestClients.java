package dev.switchboard.testing;

import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Many test clients opened together and closed together, for tests with several users at once. */
public final class TestClients implements AutoCloseable {

    private final List<TestClient> clients = new CopyOnWriteArrayList<>();

    public TestClient connect(URI uri) throws Exception {
        TestClient client = TestClient.connect(uri);
        clients.add(client);
        return client;
    }

    public List<TestClient> connect(URI uri, int count) throws Exception {
        for (int i = 0; i < count; i++) {
            connect(uri);
        }
        return all();
    }

    public List<TestClient> all() {
        return List.copyOf(clients);
    }

    @Override
    public void close() throws IOException {
        for (TestClient client : clients) {
            client.close();
        }
    }
}
