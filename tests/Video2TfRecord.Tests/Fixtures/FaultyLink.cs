using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Video2TfRecord.Tests.Fixtures;

/// <summary>
/// A loopback TCP link in front of a real server that fails the way networks and gateways do: it answers 403
/// AccessDenied for reads of one key or writes under one prefix (a bucket policy denying them), and cuts the connection in the middle of uploads
/// to keys it is told (a network error mid-upload). Everything else passes through byte for byte. Each request gets
/// <c>Connection: close</c>, so every request comes on a connection of its own and is seen here.
/// </summary>
public sealed class FaultyLink : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Uri _upstream;
    private readonly CancellationTokenSource _stop = new();
    private int _cutsLeft;
    private int _cuts;
    private int _gets;
    private int _parts;
    private readonly HashSet<string> _regions = new(StringComparer.Ordinal);
    private readonly List<string> _refusedWrites = [];
    private readonly TaskCompletionSource _holding = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public FaultyLink(string upstream)
    {
        _upstream = new Uri(upstream);
        _listener.Start();
        _ = AcceptAsync();
    }

    public string Endpoint => $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

    /// <summary>Reads (GET, HEAD) of paths containing this are refused with 403 AccessDenied.</summary>
    public string? DeniedKey { get; set; }

    /// <summary>Writes (PUT, POST, DELETE) to paths containing this are refused with 403 AccessDenied (a read-only prefix).</summary>
    public string? DeniedWrites { get; set; }

    /// <summary>The paths of the writes refused so far, in order.</summary>
    public IReadOnlyList<string> RefusedWrites
    {
        get
        {
            lock (_refusedWrites)
            {
                return [.. _refusedWrites];
            }
        }
    }

    /// <summary>The regions the requests so far were signed for (the scope of their SigV4 <c>Authorization</c> header).</summary>
    public IReadOnlyCollection<string> SigningRegions
    {
        get
        {
            lock (_regions)
            {
                return [.. _regions];
            }
        }
    }

    /// <summary>Uploads (PUT, POST) to paths containing this, with a body longer than <see cref="CutAfterBytes"/>, are cut after that many bytes.</summary>
    public string? CutKey { get; set; }

    public long CutAfterBytes { get; set; } = 64 << 10;

    /// <summary>How many more uploads are cut (then they pass).</summary>
    public int CutsLeft
    {
        get => Volatile.Read(ref _cutsLeft);
        set => Volatile.Write(ref _cutsLeft, value);
    }

    /// <summary>How many uploads were cut so far.</summary>
    public int Cuts => Volatile.Read(ref _cuts);

    /// <summary>Uploads to paths containing this are held: never forwarded, their connection left open (a stalled network).</summary>
    public string? HoldKey { get; set; }

    /// <summary>Completes when the first upload is held: the client is then waiting on it, with no other request of its in flight.</summary>
    public Task Holding => _holding.Task;

    /// <summary>How many parts of multipart uploads passed through.</summary>
    public int Parts => Volatile.Read(ref _parts);

    /// <summary>How many GET requests passed through (downloads and listings).</summary>
    public int Gets => Volatile.Read(ref _gets);

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            _ = ServeAsync(client);
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using var connection = client;
        try
        {
            var stream = client.GetStream();
            var (head, body) = await ReadHeadAsync(stream);
            var lines = head.Split("\r\n");
            var request = lines[0].Split(' ');
            var (method, path) = (request[0], request.Length > 1 ? Uri.UnescapeDataString(request[1]) : "");
            // Authorization: AWS4-HMAC-SHA256 Credential=KEY/DATE/REGION/s3/aws4_request, SignedHeaders=…, Signature=…
            if (lines.FirstOrDefault(l => l.StartsWith("Authorization:", StringComparison.OrdinalIgnoreCase)) is { } authorization
                && authorization.Split("Credential=") is [_, var credential] && credential.Split('/') is [_, _, var region, ..])
            {
                lock (_regions)
                {
                    _regions.Add(region);
                }
            }

            // An object's reads only: a listing (a query on the bucket) is another permission.
            var deniedRead = DeniedKey is { } denied && method is "GET" or "HEAD" && path.Split('?')[0].Contains(denied, StringComparison.Ordinal);
            var deniedWrite = DeniedWrites is { } prefix && method is "PUT" or "POST" or "DELETE" && path.Split('?')[0].Contains(prefix, StringComparison.Ordinal);
            if (deniedWrite)
            {
                lock (_refusedWrites)
                {
                    _refusedWrites.Add($"{method} {path}");
                }
            }

            if (deniedRead || deniedWrite)
            {
                var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>";
                var answer = $"HTTP/1.1 403 Forbidden\r\nContent-Type: application/xml\r\nContent-Length: {(method == "HEAD" ? 0 : xml.Length)}\r\nConnection: close\r\n\r\n{(method == "HEAD" ? "" : xml)}";
                await stream.WriteAsync(Encoding.ASCII.GetBytes(answer));
                return;
            }

            if (HoldKey is { } held && method is "PUT" or "POST" && path.Contains(held, StringComparison.Ordinal))
            {
                _holding.TrySetResult();
                await stream.CopyToAsync(Stream.Null, _stop.Token);
                return;
            }

            var length = lines.Where(l => l.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase)).Select(l => long.Parse(l[15..].Trim(), System.Globalization.CultureInfo.InvariantCulture)).FirstOrDefault();
            var cut = CutKey is { } key && method is "PUT" or "POST" && length > CutAfterBytes && path.Contains(key, StringComparison.Ordinal)
                && Interlocked.Decrement(ref _cutsLeft) >= 0;
            var forwarded = string.Join("\r\n", lines.Where(l => !l.StartsWith("Connection:", StringComparison.OrdinalIgnoreCase)).Where(l => l.Length > 0))
                + "\r\nConnection: close\r\n\r\n";
            using var upstream = new TcpClient();
            await upstream.ConnectAsync(_upstream.Host, _upstream.Port);
            var server = upstream.GetStream();
            await server.WriteAsync(Encoding.ASCII.GetBytes(forwarded));
            if (cut)
            {
                Interlocked.Increment(ref _cuts);
                // The server's answers (100 Continue) still reach the client, which then sends its body, which is cut.
                _ = server.CopyToAsync(stream).ContinueWith(t => _ = t.Exception, TaskScheduler.Default);
                await CopyAsync(new MemoryStream(body), server, CutAfterBytes);
                await CopyAsync(stream, server, CutAfterBytes - body.Length);
                client.Client.LingerState = new LingerOption(true, 0);
                return;
            }

            if (method == "GET")
            {
                Interlocked.Increment(ref _gets);
            }

            if (method == "PUT" && path.Contains("partNumber=", StringComparison.Ordinal))
            {
                Interlocked.Increment(ref _parts);
            }

            await server.WriteAsync(body);
            // The request's body goes up while the answer comes down; the server closes when it has answered.
            _ = stream.CopyToAsync(server).ContinueWith(t => _ = t.Exception, TaskScheduler.Default);
            await server.CopyToAsync(stream);
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
            // One side went away: so does the link.
        }
    }

    private static async Task CopyAsync(Stream from, Stream to, long limit)
    {
        var buffer = new byte[16 << 10];
        while (limit > 0 && await from.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, limit))) is var read and > 0)
        {
            await to.WriteAsync(buffer.AsMemory(0, read));
            limit -= read;
        }
    }

    // The request head up to its blank line, and the body bytes that came with it.
    private static async Task<(string Head, byte[] Body)> ReadHeadAsync(NetworkStream stream)
    {
        var received = new List<byte>();
        var buffer = new byte[8192];
        while (true)
        {
            var read = await stream.ReadAsync(buffer);
            if (read == 0)
            {
                throw new IOException("closed before the request head ended");
            }

            received.AddRange(buffer.AsSpan(0, read));
            var all = received.ToArray();
            var end = all.AsSpan().IndexOf("\r\n\r\n"u8);
            if (end >= 0)
            {
                return (Encoding.ASCII.GetString(all, 0, end), all[(end + 4)..]);
            }
        }
    }
}
