using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;
using Video2TfRecord.Frames;
using Video2TfRecord.Server.Jobs;
using Video2TfRecord.Video;

namespace Video2TfRecord.Server.Api;

/// <summary>
/// One job's multipart upload, read as it arrives and written straight to the job's folder (never held whole in
/// memory): videos in parts named <c>files</c>, a label CSV in <c>labels</c>, a clips CSV in <c>clips</c>, and option
/// fields named as <c>convert</c>'s long options. Every limit of <see cref="ServerSettings"/> is checked as bytes come in.
/// </summary>
internal sealed class Upload
{
    private const int MaxFieldBytes = 64 << 10;
    private const long MaxCsvBytes = 64L << 20;

    // Free space is checked again every this many bytes of an upload.
    private const long DiskCheckBytes = 8L << 20;

    private Upload()
    {
    }

    /// <summary>The option fields, in the order sent.</summary>
    public List<(string Name, string Value)> Fields { get; } = [];

    /// <summary>The saved videos' safe names with the names the client gave them.</summary>
    public Dictionary<string, string> Names { get; } = new(StringComparer.Ordinal);

    /// <summary>Uploads that are not converted (not a video type, empty, not decodable), by the client's name.</summary>
    public List<JobFailure> Failures { get; } = [];

    /// <summary>Reads the request into <paramref name="folder"/>.</summary>
    /// <exception cref="UploadRejectedException">A limit is passed, or the request is not a multipart form.</exception>
    public static async Task<Upload> ReadAsync(HttpRequest request, JobFolder folder, ServerSettings settings, CancellationToken cancellationToken)
    {
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var type) || !type.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase)
            || HeaderUtilities.RemoveQuotes(type.Boundary).Value is not { Length: > 0 } boundary)
        {
            throw Rejected(StatusCodes.Status400BadRequest, "not a multipart form", "send the videos as multipart/form-data, in parts named files");
        }

        var upload = new Upload();
        var names = new SafeName();
        var reader = new MultipartReader(boundary, request.Body);
        long total = 0;
        var files = 0;
        var annotations = new HashSet<string>(StringComparer.Ordinal);
        Directory.CreateDirectory(folder.Input);
        while (await reader.ReadNextSectionAsync(cancellationToken).ConfigureAwait(false) is { } section)
        {
            if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)
                || !disposition.DispositionType.Equals("form-data", StringComparison.OrdinalIgnoreCase))
            {
                throw Rejected(StatusCodes.Status400BadRequest, "bad part", "every part needs a Content-Disposition: form-data header with a name");
            }

            var name = HeaderUtilities.RemoveQuotes(disposition.Name).Value ?? "";
            if (!disposition.IsFileDisposition())
            {
                upload.Fields.Add((name, await ReadFieldAsync(section, name, cancellationToken).ConfigureAwait(false)));
                continue;
            }

            var clientName = HeaderUtilities.RemoveQuotes(disposition.FileNameStar).Value is { Length: > 0 } star ? star : HeaderUtilities.RemoveQuotes(disposition.FileName).Value ?? "";
            switch (name)
            {
                case "files":
                    if (++files > settings.MaxFilesPerJob)
                    {
                        throw Rejected(StatusCodes.Status413PayloadTooLarge, "too many files", string.Create(CultureInfo.InvariantCulture,
                            $"a job holds at most {settings.MaxFilesPerJob} videos (Video2TfRecord:Server:MaxFilesPerJob)"));
                    }

                    var safe = names.For(clientName);
                    var extension = Path.GetExtension(safe).TrimStart('.');
                    if (!settings.AllowedExtensions.Contains(extension, StringComparer.OrdinalIgnoreCase))
                    {
                        await section.Body.CopyToAsync(Stream.Null, cancellationToken).ConfigureAwait(false);
                        upload.Failures.Add(new JobFailure(clientName, $"not a video file type this service takes (.{extension}); allowed: {string.Join(", ", settings.AllowedExtensions)}"));
                        continue;
                    }

                    var path = Path.Combine(folder.Input, safe);
                    var bytes = await SaveAsync(section.Body, path, settings.MaxFileBytes, settings.MaxJobBytes - total, clientName, settings, cancellationToken).ConfigureAwait(false);
                    total += bytes;
                    if (bytes == 0)
                    {
                        File.Delete(path);
                        upload.Failures.Add(new JobFailure(clientName, "the file is empty"));
                        continue;
                    }

                    upload.Names[safe] = clientName;
                    break;
                case "labels" or "clips":
                    if (!annotations.Add(name))
                    {
                        // The second would silently replace the first.
                        throw Rejected(StatusCodes.Status400BadRequest, "bad part", $"two parts named {name}: a job takes one {name} CSV");
                    }

                    total += await SaveAsync(section.Body, folder.Annotation(name), MaxCsvBytes, settings.MaxJobBytes - total, clientName, settings, cancellationToken).ConfigureAwait(false);
                    await CheckTextAsync(folder.Annotation(name), name, cancellationToken).ConfigureAwait(false);
                    break;
                default:
                    throw Rejected(StatusCodes.Status400BadRequest, "unknown part", $"a file part named '{name}': videos go in parts named files, a label CSV in labels, a clips CSV in clips");
            }
        }

        if (files == 0)
        {
            throw Rejected(StatusCodes.Status400BadRequest, "no files", "send the videos in parts named files");
        }

        return upload;
    }

    /// <summary>
    /// Opens every saved video with the decoder, as a conversion would: a file that is not a video is removed and listed
    /// as a failure, so the job converts the others.
    /// </summary>
    public void Probe(JobFolder folder)
    {
        var decoder = VideoDecoder.Create(DecoderBackend.Auto, 1);
        foreach (var (safe, original) in Names.ToList())
        {
            var path = Path.Combine(folder.Input, safe);
            try
            {
                using var video = decoder.Open(path, new ImageOptions());
            }
            catch (VideoReadException e)
            {
                File.Delete(path);
                Names.Remove(safe);
                Failures.Add(new JobFailure(original, e.Cause));
            }
        }
    }

    // A CSV part must be text: a UTF-16 file or a binary one is refused here, naming what it looks like, before its bytes
    // could be echoed into a message (the CSV reader's errors quote cells and headers).
    private static async Task CheckTextAsync(string path, string part, CancellationToken cancellationToken)
    {
        var buffer = new byte[1 << 16];
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, useAsync: true);
        long offset = 0;
        int read;
        while ((read = await file.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (offset == 0 && read >= 2 && ((buffer[0] == 0xFF && buffer[1] == 0xFE) || (buffer[0] == 0xFE && buffer[1] == 0xFF)))
            {
                throw Rejected(StatusCodes.Status400BadRequest, "bad option", $"{part}.csv (the part {part}) is UTF-16 text: save it as UTF-8");
            }

            var nul = Array.IndexOf(buffer, (byte)0, 0, read);
            if (nul >= 0)
            {
                throw Rejected(StatusCodes.Status400BadRequest, "bad option", string.Create(CultureInfo.InvariantCulture,
                    $"{part}.csv (the part {part}) is not a text CSV: it holds a NUL byte at offset {offset + nul} (a binary file, or UTF-16 without a byte order mark?); send a UTF-8 CSV"));
            }

            offset += read;
        }
    }

    private static async Task<string> ReadFieldAsync(MultipartSection section, string name, CancellationToken cancellationToken)
    {
        var buffer = new byte[MaxFieldBytes + 1];
        var length = 0;
        int read;
        while (length <= MaxFieldBytes && (read = await section.Body.ReadAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false)) > 0)
        {
            length += read;
        }

        return length > MaxFieldBytes
            ? throw Rejected(StatusCodes.Status413PayloadTooLarge, "field too large", $"the field '{name}' is longer than {MaxFieldBytes} bytes")
            : System.Text.Encoding.UTF8.GetString(buffer, 0, length).Trim();
    }

    // Streams one part to `path`, refusing it as soon as it passes the file's or the job's limit.
    private static async Task<long> SaveAsync(Stream body, string path, long fileLimit, long jobLeft, string clientName, ServerSettings settings,
        CancellationToken cancellationToken)
    {
        var buffer = new byte[81920];
        long written = 0;
        await using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
        int read;
        while ((read = await body.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            written += read;
            if (written > fileLimit)
            {
                throw Rejected(StatusCodes.Status413PayloadTooLarge, "file too large", string.Create(CultureInfo.InvariantCulture,
                    $"{clientName} is larger than {fileLimit} bytes (Video2TfRecord:Server:MaxFileBytes)"));
            }

            if (written > jobLeft)
            {
                throw Rejected(StatusCodes.Status413PayloadTooLarge, "job too large", string.Create(CultureInfo.InvariantCulture,
                    $"the job's uploads are larger than {settings.MaxJobBytes} bytes (Video2TfRecord:Server:MaxJobBytes)"));
            }

            await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
            if (written % DiskCheckBytes < read && new DriveInfo(settings.DataFolder).AvailableFreeSpace < settings.MinFreeBytes)
            {
                // Other uploads may have used the room checked before this one started.
                throw Rejected(StatusCodes.Status507InsufficientStorage, "disk full", string.Create(CultureInfo.InvariantCulture,
                    $"less than {settings.MinFreeBytes} bytes are left for uploads; try again when jobs have been deleted"));
            }
        }

        return written;
    }

    private static UploadRejectedException Rejected(int status, string error, string detail) => new(status, new ApiError(error, detail));
}
