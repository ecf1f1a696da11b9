using BenchmarkDotNet.Attributes;
using Video2TfRecord.TfRecords;

namespace Video2TfRecord.Benchmarks;

/// <summary>
/// Framing throughput: 64 records of 256 KiB (about one 32-frame JPEG video each) written and read back, per compression.
/// The CRC is the only per-byte work when uncompressed, so None should run near memory bandwidth.
/// </summary>
[MemoryDiagnoser]
public class TfRecordBenchmarks
{
    private readonly byte[] _record = new byte[256 * 1024];
    private byte[] _file = [];

    [Params(TfRecordCompression.None, TfRecordCompression.Gzip)]
    public TfRecordCompression Compression { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        new Random(42).NextBytes(_record);
        _file = WriteAll();
    }

    [Benchmark]
    public int Write() => WriteAll().Length;

    [Benchmark]
    public long Read()
    {
        using var reader = new TfRecordReader(new MemoryStream(_file), Compression);
        long total = 0;
        while (reader.TryRead(out var record))
        {
            total += record.Length;
        }

        return total;
    }

    private byte[] WriteAll()
    {
        using var memory = new MemoryStream();
        using (var writer = new TfRecordWriter(memory, Compression, leaveOpen: true))
        {
            for (var i = 0; i < 64; i++)
            {
                writer.Write(_record);
            }
        }

        return memory.ToArray();
    }
}
