package dev.backprop.serve;

import dev.backprop.InvalidSettingException;
import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link ModelServer} listens and what it accepts.
 *
 * @param host the address to listen on; loopback ({@value #DEFAULT_HOST}) unless told otherwise
 * @param port the TCP port, 0 for a free one chosen by the system
 * @param threads the request threads: at most this many requests run at once, the others wait their turn
 * @param maxBodyBytes the largest request body read; a larger one is refused with 413 before it is read
 * @param timeout how long a client may take to send its request, and to take the response, in whole seconds;
 *     also how long {@link ModelServer#stop()} waits for the requests in flight
 */
public record ServeConfig(String host, int port, int threads, int maxBodyBytes, Duration timeout) {
  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 8080;
  public static final int DEFAULT_MAX_BODY_BYTES = 16 << 20;
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

  public ServeConfig {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(timeout, "timeout");
    if (host.isBlank()) {
      throw new InvalidSettingException("host", "'" + host + "'", "a host name or IP address");
    }
    if (port < 0 || port > 65535) {
      throw new InvalidSettingException("port", port, "between 0 (a free port) and 65535");
    }
    if (threads < 1) {
      throw new InvalidSettingException("threads", threads, "at least 1");
    }
    if (maxBodyBytes < 1) {
      throw new InvalidSettingException("maxBodyBytes", maxBodyBytes, "at least 1 byte");
    }
    if (timeout.isNegative() || timeout.getSeconds() < 1 || timeout.getNano() != 0) {
      throw new InvalidSettingException("timeout", timeout.toSeconds() + " s", "a whole number of seconds >= 1");
    }
  }

  /** Loopback, port {@value #DEFAULT_PORT}, one request thread per core, 16 MiB bodies, 30 s. */
  public static ServeConfig defaults() {
    return new ServeConfig(DEFAULT_HOST, DEFAULT_PORT, Runtime.getRuntime().availableProcessors(),
        DEFAULT_MAX_BODY_BYTES, DEFAULT_TIMEOUT);
  }

  public ServeConfig withHost(String value) {
    return new ServeConfig(value, port, threads, maxBodyBytes, timeout);
  }

  public ServeConfig withPort(int value) {
    return new ServeConfig(host, value, threads, maxBodyBytes, timeout);
  }

  public ServeConfig withThreads(int value) {
    return new ServeConfig(host, port, value, maxBodyBytes, timeout);
  }

  public ServeConfig withMaxBodyBytes(int value) {
    return new ServeConfig(host, port, threads, value, timeout);
  }

  public ServeConfig withTimeout(Duration value) {
    return new ServeConfig(host, port, threads, maxBodyBytes, value);
  }
}
