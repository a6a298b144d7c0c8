package io.rawmetrics.internal.delivery;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import javax.net.SocketFactory;

/**
 * The writer's sockets: Nagle's algorithm off and, for plain HTTP, writes gathered into large
 * ones.
 *
 * <p>Nagle: OkHttp leaves it on, and a batch then ends in a small segment held back until the
 * server's delayed ACK.
 *
 * <p>Gathering: OkHttp hands the socket one write per 8 KiB Okio segment, and with Nagle off each
 * becomes a TCP segment with its own trip through the kernel; through a
 * {@link BufferedOutputStream} of {@value #GATHER_BYTES} bytes a batch is a few writes. OkHttp
 * flushes the stream when a request is complete, so nothing waits in the buffer. TLS sockets are
 * left as they are: the JDK's TLS layer writes its records itself. The figures:
 * docs/performance.md, "The figures behind the code's choices".
 */
final class WriterSocketFactory extends SocketFactory {
    static final int GATHER_BYTES = 256 * 1024;

    private final boolean gather;

    WriterSocketFactory(boolean gather) {
        this.gather = gather;
    }

    @Override
    public Socket createSocket() throws IOException {
        Socket socket = gather ? new GatheringSocket() : new Socket();
        socket.setTcpNoDelay(true);
        return socket;
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        return connected(new InetSocketAddress(host, port));
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        return connected(new InetSocketAddress(host, port), new InetSocketAddress(localHost, localPort));
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return connected(new InetSocketAddress(host, port));
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
            throws IOException {
        return connected(new InetSocketAddress(address, port), new InetSocketAddress(localAddress, localPort));
    }

    private Socket connected(InetSocketAddress remote) throws IOException {
        return connected(remote, null);
    }

    /** A socket bound to {@code local} (any address if null) and connected; closed if either fails. */
    private Socket connected(InetSocketAddress remote, InetSocketAddress local) throws IOException {
        Socket socket = createSocket();
        try {
            socket.bind(local);
            socket.connect(remote);
            return socket;
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /** A plain socket whose output stream gathers writes; see {@link WriterSocketFactory}. */
    private static final class GatheringSocket extends Socket {
        private OutputStream output;

        @Override
        public synchronized OutputStream getOutputStream() throws IOException {
            if (output == null) {
                output = new BufferedOutputStream(super.getOutputStream(), WriterSocketFactory.GATHER_BYTES);
            }
            return output;
        }
    }
}
