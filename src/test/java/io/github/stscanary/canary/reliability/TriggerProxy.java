package io.github.stscanary.canary.reliability;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A TCP proxy on 127.0.0.1 in front of a plain-HTTP server that runs an action once, the first time
 * a client sends a given request line, before that request reaches the server. Tests put it in
 * front of 'kubectl proxy' to change an object between a client's read and its write.
 *
 * <p>It scans the bytes from client to server for the text, so it needs plain HTTP/1.1 and finds a
 * request line that a chunk boundary splits only because it keeps the tail of the previous chunk.
 */
final class TriggerProxy implements AutoCloseable {

  private final ServerSocket listener;
  private final int upstreamPort;
  private final byte[] trigger;
  private final Runnable action;
  private final AtomicBoolean fired = new AtomicBoolean();
  private final List<Socket> sockets = new ArrayList<>();

  TriggerProxy(int upstreamPort, String requestLinePrefix, Runnable action) throws IOException {
    this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    this.upstreamPort = upstreamPort;
    this.trigger = requestLinePrefix.getBytes(StandardCharsets.US_ASCII);
    this.action = action;
    Thread acceptor = new Thread(this::acceptForever, "trigger-proxy-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  int port() {
    return listener.getLocalPort();
  }

  boolean fired() {
    return fired.get();
  }

  private void acceptForever() {
    try {
      while (true) {
        Socket client = listener.accept();
        Socket server = new Socket(InetAddress.getLoopbackAddress(), upstreamPort);
        synchronized (sockets) {
          sockets.add(client);
          sockets.add(server);
        }
        pump(client, server, true);
        pump(server, client, false);
      }
    } catch (IOException closed) {
      // close() closed the listener.
    }
  }

  private void pump(Socket from, Socket to, boolean scan) {
    Thread thread =
        new Thread(
            () -> {
              byte[] buffer = new byte[16384];
              byte[] window = new byte[0];
              try (InputStream in = from.getInputStream();
                  OutputStream out = to.getOutputStream()) {
                int read;
                while ((read = in.read(buffer)) >= 0) {
                  if (scan && !fired.get()) {
                    window = concat(window, buffer, read);
                    if (indexOf(window, trigger) >= 0 && fired.compareAndSet(false, true)) {
                      action.run();
                    }
                    window = tail(window, trigger.length);
                  }
                  out.write(buffer, 0, read);
                  out.flush();
                }
              } catch (IOException e) {
                // Either side closed the connection.
              } finally {
                closeQuietly(from);
                closeQuietly(to);
              }
            },
            "trigger-proxy-pump");
    thread.setDaemon(true);
    thread.start();
  }

  private static byte[] concat(byte[] head, byte[] buffer, int length) {
    byte[] joined = new byte[head.length + length];
    System.arraycopy(head, 0, joined, 0, head.length);
    System.arraycopy(buffer, 0, joined, head.length, length);
    return joined;
  }

  private static byte[] tail(byte[] bytes, int length) {
    int keep = Math.min(bytes.length, length);
    byte[] tail = new byte[keep];
    System.arraycopy(bytes, bytes.length - keep, tail, 0, keep);
    return tail;
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int start = 0; start <= haystack.length - needle.length; start++) {
      for (int offset = 0; offset < needle.length; offset++) {
        if (haystack[start + offset] != needle[offset]) {
          continue outer;
        }
      }
      return start;
    }
    return -1;
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException e) {
      // Already closed.
    }
  }

  @Override
  public void close() throws IOException {
    listener.close();
    synchronized (sockets) {
      sockets.forEach(TriggerProxy::closeQuietly);
    }
  }
}
