using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace Video2TfRecord.Server.Jobs;

/// <summary>
/// The jobs, in a SQLite database (<c>jobs.db</c> in the data folder), so they outlive the process: a job's row is
/// written when it is accepted and at every change of state, and progress at most once a second. Thread-safe.
/// </summary>
internal sealed class JobStore : IDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly string _connectionString;
    private readonly Lock _lock = new();

    public JobStore(string dataFolder)
    {
        SystemSqlite.EnsureReady();
        Directory.CreateDirectory(dataFolder);
        _connectionString = new SqliteConnectionStringBuilder { DataSource = Path.Combine(dataFolder, "jobs.db"), Pooling = true }.ToString();
        using var connection = Open();
        Execute(connection, """
            PRAGMA journal_mode = WAL;
            CREATE TABLE IF NOT EXISTS jobs (
                id TEXT PRIMARY KEY, owner TEXT NOT NULL, sequence INTEGER NOT NULL, status TEXT NOT NULL,
                arguments TEXT NOT NULL, created TEXT NOT NULL, finished TEXT, videos_done INTEGER NOT NULL,
                videos_total INTEGER NOT NULL, frames_per_second REAL NOT NULL, failures TEXT NOT NULL, files TEXT NOT NULL,
                error TEXT, started INTEGER NOT NULL, names TEXT NOT NULL);
            """);
    }

    /// <summary>Adds a new job at the end of the queue and returns it with its sequence number.</summary>
    public JobRow Add(JobRow job)
    {
        lock (_lock)
        {
            using var connection = Open();
            using var next = connection.CreateCommand();
            next.CommandText = "SELECT COALESCE(MAX(sequence), 0) + 1 FROM jobs";
            var added = job with { Sequence = Convert.ToInt64(next.ExecuteScalar(), CultureInfo.InvariantCulture) };
            Write(connection, added, insert: true);
            return added;
        }
    }

    /// <summary>Writes a job's new state.</summary>
    public void Update(JobRow job)
    {
        lock (_lock)
        {
            using var connection = Open();
            Write(connection, job, insert: false);
        }
    }

    public JobRow? Find(string id) => Query("WHERE id = $id", ("$id", id)).FirstOrDefault();

    /// <summary>Every job (of <paramref name="owner"/>, when given), newest first.</summary>
    public IReadOnlyList<JobRow> List(string? owner) => owner is null
        ? Query("ORDER BY sequence DESC")
        : Query("WHERE owner = $owner ORDER BY sequence DESC", ("$owner", owner));

    /// <summary>The waiting jobs, first to run first.</summary>
    public IReadOnlyList<JobRow> Queued() => Query("WHERE status = 'queued' ORDER BY sequence");

    /// <summary>Jobs that were running when the process stopped.</summary>
    public IReadOnlyList<JobRow> Running() => Query("WHERE status = 'running' ORDER BY sequence");

    /// <summary>Finished jobs that ended before <paramref name="before"/>.</summary>
    public IReadOnlyList<JobRow> FinishedBefore(DateTimeOffset before) =>
        Query("WHERE finished IS NOT NULL AND finished < $before", ("$before", before.ToString("O", CultureInfo.InvariantCulture)));

    public void Delete(string id)
    {
        lock (_lock)
        {
            using var connection = Open();
            using var command = connection.CreateCommand();
            command.CommandText = "DELETE FROM jobs WHERE id = $id";
            command.Parameters.AddWithValue("$id", id);
            command.ExecuteNonQuery();
        }
    }

    public void Dispose() => SqliteConnection.ClearAllPools();

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        return connection;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private List<JobRow> Query(string where, params (string Name, string Value)[] parameters)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT id, owner, sequence, status, arguments, created, finished, videos_done, videos_total, frames_per_second, failures, files, error, started, names FROM jobs {where}";
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        using var reader = command.ExecuteReader();
        var rows = new List<JobRow>();
        while (reader.Read())
        {
            rows.Add(new JobRow
            {
                Id = reader.GetString(0),
                Owner = reader.GetString(1),
                Sequence = reader.GetInt64(2),
                Status = Enum.Parse<JobStatus>(reader.GetString(3), ignoreCase: true),
                Arguments = JsonSerializer.Deserialize<string[]>(reader.GetString(4), Json) ?? [],
                Created = DateTimeOffset.Parse(reader.GetString(5), CultureInfo.InvariantCulture),
                Finished = reader.IsDBNull(6) ? null : DateTimeOffset.Parse(reader.GetString(6), CultureInfo.InvariantCulture),
                VideosDone = reader.GetInt32(7),
                VideosTotal = reader.GetInt32(8),
                FramesPerSecond = reader.GetDouble(9),
                Failures = JsonSerializer.Deserialize<JobFailure[]>(reader.GetString(10), Json) ?? [],
                Files = JsonSerializer.Deserialize<JobFile[]>(reader.GetString(11), Json) ?? [],
                Error = reader.IsDBNull(12) ? null : reader.GetString(12),
                Started = reader.GetInt64(13) != 0,
                Names = JsonSerializer.Deserialize<Dictionary<string, string>>(reader.GetString(14), Json) ?? [],
            });
        }

        return rows;
    }

    private static void Write(SqliteConnection connection, JobRow job, bool insert)
    {
        using var command = connection.CreateCommand();
        command.CommandText = insert
            ? """
              INSERT INTO jobs (id, owner, sequence, status, arguments, created, finished, videos_done, videos_total, frames_per_second, failures, files, error, started, names)
              VALUES ($id, $owner, $sequence, $status, $arguments, $created, $finished, $done, $total, $fps, $failures, $files, $error, $started, $names)
              """
            : """
              UPDATE jobs SET status = $status, finished = $finished, videos_done = $done, videos_total = $total, frames_per_second = $fps,
                failures = $failures, files = $files, error = $error, started = $started WHERE id = $id
              """;
        var c = CultureInfo.InvariantCulture;
        command.Parameters.AddWithValue("$id", job.Id);
        command.Parameters.AddWithValue("$owner", job.Owner);
        command.Parameters.AddWithValue("$sequence", job.Sequence);
        command.Parameters.AddWithValue("$status", job.Status.ToString().ToLowerInvariant());
        command.Parameters.AddWithValue("$arguments", JsonSerializer.Serialize(job.Arguments, Json));
        command.Parameters.AddWithValue("$created", job.Created.ToString("O", c));
        command.Parameters.AddWithValue("$finished", job.Finished is { } f ? f.ToString("O", c) : DBNull.Value);
        command.Parameters.AddWithValue("$done", job.VideosDone);
        command.Parameters.AddWithValue("$total", job.VideosTotal);
        command.Parameters.AddWithValue("$fps", job.FramesPerSecond);
        command.Parameters.AddWithValue("$failures", JsonSerializer.Serialize(job.Failures, Json));
        command.Parameters.AddWithValue("$files", JsonSerializer.Serialize(job.Files, Json));
        command.Parameters.AddWithValue("$error", (object?)job.Error ?? DBNull.Value);
        command.Parameters.AddWithValue("$started", job.Started ? 1 : 0);
        command.Parameters.AddWithValue("$names", JsonSerializer.Serialize(job.Names, Json));
        command.ExecuteNonQuery();
    }
}
