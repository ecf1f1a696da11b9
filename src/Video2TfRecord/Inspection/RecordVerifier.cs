using System.Globalization;
using Google.Protobuf;
using OpenCvSharp;
using Video2TfRecord.Records;
using Video2TfRecord.TfRecords;

namespace Video2TfRecord.Inspection;

/// <summary>Checks a record file end to end: every checksum, every record parses, every image decodes with the declared shape.</summary>
internal static class RecordVerifier
{
    /// <summary>
    /// Verifies one file; problems are collected, not thrown. A record whose data is bad but whose framing holds (a data
    /// checksum mismatch, a record that does not parse, an image that does not decode) is reported and the next one read.
    /// </summary>
    public static VerificationResult Verify(string path)
    {
        var problems = new List<string>();
        long records = 0, images = 0;
        try
        {
            using var reader = TfRecordFile.OpenRead(path);
            while (true)
            {
                ReadOnlyMemory<byte> bytes;
                try
                {
                    if (!reader.TryRead(out bytes))
                    {
                        break;
                    }
                }
                catch (TfRecordFormatException e) when (e.FramingIntact)
                {
                    records++;
                    problems.Add(e.Message);
                    continue;
                }

                records++;
                var where = string.Create(CultureInfo.InvariantCulture, $"{path}: record {reader.RecordCount - 1} at byte offset {reader.LastRecordOffset}");
                try
                {
                    images += VerifyImages(RecordFileInspector.Parse(path, reader, bytes.Span), where, problems);
                }
                catch (InvalidDataException e)
                {
                    problems.Add(e.Message);
                }
            }
        }
        catch (Exception e) when (e is TfRecordFormatException or InvalidDataException or IOException or UnauthorizedAccessException)
        {
            problems.Add(e.Message);
        }

        return new VerificationResult(path, records, images, problems);
    }

    private static long VerifyImages(ParsedRecord record, string where, List<string> problems)
    {
        var (height, width, channels) = (record.Height, record.Width, record.Channels);
        var bytesPerSample = record.Dtype == "uint16" ? 2 : 1;
        if (record.Layout == RecordLayout.Tfds && record.Images() is { Count: > 0 } frames)
        {
            // A TFDS record declares its shape in features.json, not in the record: every frame must match the first.
            using var first = Cv2.ImDecode(frames[0].Span, ImreadModes.Unchanged);
            if (!first.Empty())
            {
                (height, width, channels, bytesPerSample) = (first.Rows, first.Cols, first.Channels(), (int)first.ElemSize1());
            }
        }

        if (height is null or < 1 || width is null or < 1 || channels is null or < 1)
        {
            problems.Add($"{where}: height, width or depth/channels is missing or not positive");
            return 0;
        }

        var images = record.Images();
        if (images.Count == 0)
        {
            problems.Add($"{where}: the record holds no image");
        }

        var format = record.Format;
        long good = 0;
        for (var i = 0; i < images.Count; i++)
        {
            var problem = Check(images[i], format, (height.Value, width.Value, channels.Value), bytesPerSample);
            if (problem is null)
            {
                good++;
            }
            else
            {
                problems.Add(string.Create(CultureInfo.InvariantCulture, $"{where}: image {i}: {problem}"));
            }
        }

        VerifyAudio(record, where, problems);
        return good + VerifyFlow(record, (height.Value, width.Value), bytesPerSample, where, problems);
    }

    // Audio keys agree with each other and with the record's span: samples = rate × duration × channels within one frame.
    private static void VerifyAudio(ParsedRecord record, string where, List<string> problems)
    {
        var keys = record.Keys().Select(k => k.Key).Where(k => k.StartsWith("audio/", StringComparison.Ordinal) || k.StartsWith("WAVEFORM/", StringComparison.Ordinal)).ToList();
        if (keys.Count == 0)
        {
            return;
        }

        var c = CultureInfo.InvariantCulture;
        if (record.Audio is not { } audio || audio.SampleRate < 1 || audio.Channels < 1)
        {
            problems.Add($"{where}: audio keys ({string.Join(", ", keys)}) without a positive sample rate and channel count");
            return;
        }

        if (audio.Samples.Length % audio.Channels != 0)
        {
            problems.Add(string.Create(c, $"{where}: {audio.Samples.Length} audio samples do not divide into {audio.Channels} channels"));
        }

        if (audio.Samples.Any(s => !float.IsFinite(s) || s < -1f || s > 1f))
        {
            problems.Add($"{where}: audio samples outside [-1, 1]");
        }

        var fps = record.Float(ExampleLayout.VideoFps) ?? record.Float(SequenceLayout.ImageFrameRate) ?? 0;
        var frameCount = record.Int64(ExampleLayout.VideoFrameCount);
        long? durationUs = record.Clip is { } clip ? clip.EndUs - clip.StartUs
            : fps > 0 && frameCount is { } frames ? (long)Math.Round(frames * 1e6 / fps) : null;
        if (record.Clip is { } window && audio.StartUs != window.StartUs)
        {
            problems.Add(string.Create(c, $"{where}: the audio starts at {audio.StartUs} µs, the clip at {window.StartUs} µs"));
        }

        if (durationUs is { } span)
        {
            var expected = span * (double)audio.SampleRate / 1e6;
            var tolerance = fps > 0 ? audio.SampleRate / fps : audio.SampleRate * 0.1;
            if (Math.Abs(audio.Frames - expected) > tolerance)
            {
                problems.Add(string.Create(c,
                    $"{where}: {audio.Frames} audio samples per channel, but {audio.SampleRate} Hz over {span / 1e6:0.######} s is {expected:0} (more than one frame apart)"));
            }
        }
    }

    // Flow images: flow/x/i and flow/y/i (one channel) or FORWARD_FLOW/image/encoded (three), one pair or image per frame.
    private static long VerifyFlow(ParsedRecord record, (long Height, long Width) size, int bytesPerSample, string where, List<string> problems)
    {
        var format = record.FlowImageFormat;
        var channels = record.FlowPacking == FlowPacking.Color ? 3 : 1;
        List<FlowEntry> entries;
        try
        {
            entries = [.. record.FlowEntries()];
        }
        catch (InvalidDataException e)
        {
            problems.Add($"{where}: {e.Message}");
            return 0;
        }

        var flow = entries.SelectMany((entry, i) => entry.Second is { } y
            ? new[] { ($"{ExampleLayout.FlowXPrefix}{i}", entry.First), ($"{ExampleLayout.FlowYPrefix}{i}", y) }
            : [($"flow image {i}", entry.First)]).ToList();
        if (flow.Count > 0 && flow.Count != record.Images().Count * (record.FlowPacking == FlowPacking.Color ? 1 : 2))
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"{where}: {flow.Count} flow images for {record.Images().Count} frames"));
        }

        long good = 0;
        foreach (var (name, image) in flow)
        {
            var problem = Check(image, format, (size.Height, size.Width, channels), bytesPerSample);
            if (problem is null)
            {
                good++;
            }
            else
            {
                problems.Add($"{where}: {name}: {problem}");
            }
        }

        return good;
    }

    private static string? Check(ByteString image, string? format, (long Height, long Width, long Channels) shape, int bytesPerSample) =>
        format switch
        {
            "RAW" => CheckRaw(image, shape.Height * shape.Width * shape.Channels * bytesPerSample),
            // OpenCV decodes a damaged JPEG without a word; libjpeg's own warnings say it is damaged. One decode either way.
            "JPEG" => JpegCheck.Decode(image.Span) is { } jpeg
                ? jpeg.Problem ?? ShapeMismatch((jpeg.Width, jpeg.Height, jpeg.Channels), 1, shape, bytesPerSample)
                : CheckEncoded(image, (int)shape.Height, (int)shape.Width, (int)shape.Channels, bytesPerSample),
            _ => CheckEncoded(image, (int)shape.Height, (int)shape.Width, (int)shape.Channels, bytesPerSample),
        };

    private static string? CheckRaw(ByteString image, long expected) => image.Length == expected
        ? null
        : string.Create(CultureInfo.InvariantCulture, $"raw image has {image.Length} bytes, the declared shape needs {expected}");

    private static string? CheckEncoded(ByteString image, int height, int width, int channels, int bytesPerSample)
    {
        using var decoded = Cv2.ImDecode(image.Span, ImreadModes.Unchanged);
        if (decoded.Empty())
        {
            return string.Create(CultureInfo.InvariantCulture, $"{image.Length} bytes do not decode as an image");
        }

        return ShapeMismatch((decoded.Cols, decoded.Rows, decoded.Channels()), (int)decoded.ElemSize1(), (height, width, channels), bytesPerSample);
    }

    private static string? ShapeMismatch((int Width, int Height, int Channels) decoded, int sampleBytes, (long Height, long Width, long Channels) declared, int bytesPerSample) =>
        decoded.Height == declared.Height && decoded.Width == declared.Width && decoded.Channels == declared.Channels && sampleBytes == bytesPerSample
            ? null
            : string.Create(CultureInfo.InvariantCulture,
                $"decodes to {decoded.Width}x{decoded.Height}x{decoded.Channels} at {8 * sampleBytes} bit, the record declares {declared.Width}x{declared.Height}x{declared.Channels} at {8 * bytesPerSample} bit");
}
