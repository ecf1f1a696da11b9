using System.Text;
using System.Text.Json;
using Video2TfRecord.Conversion.Annotations;
using Video2TfRecord.Conversion.Inputs;
using Video2TfRecord.Tests.Fixtures;

namespace Video2TfRecord.Tests.Conversion.Annotations;

public class LabelTableTests
{
    private static string WriteCsv(TempDirectory temp, params string[] lines)
    {
        var path = temp.Combine("labels.csv");
        File.WriteAllText(path, string.Join("\n", lines) + "\n");
        return path;
    }

    private static LabelTable Load(TempDirectory temp, params string[] lines) => LabelTable.Load(WriteCsv(temp, lines));

    private static List<CatalogEntry> Catalog(params string[] relativePaths) =>
        relativePaths.Select(relative => new CatalogEntry("/videos/" + relative, relative)).ToList();

    private static List<(int, string)> Pairs(IEnumerable<VideoLabel> labels) => labels.Select(l => (l.Index, l.Text)).ToList();

    private static Dictionary<string, string> TextByPath(LabelAssignment assignment) =>
        assignment.ByRelativePath.ToDictionary(pair => pair.Key, pair => pair.Value.Text);

    [Theory]
    [InlineData("id,label,video", "video")]
    [InlineData("video,file,path,label", "path")]
    [InlineData("filename,label,file", "file")]
    [InlineData("id,video_id,label", "video_id")]
    [InlineData("id,filename,label", "filename")]
    [InlineData("notes,ID,Label", "id")]
    [InlineData("Label,VIDEO,Path,", "path")]
    public void Video_column_is_the_first_accepted_name_present_whatever_its_case(string header, string expected)
    {
        // Each column but the label holds a video named after the column, so the matched video tells which was read.
        using var temp = new TempDirectory();
        var columns = header.Split(',');
        var row = string.Join(",", columns.Select(c => c.Equals("label", StringComparison.OrdinalIgnoreCase) ? "cat" : c.ToLowerInvariant() + ".mp4"));
        var videoColumns = columns.Where(c => c.Length > 0 && !c.Equals("label", StringComparison.OrdinalIgnoreCase));

        var assignment = Load(temp, header, row).Assign(Catalog([.. videoColumns.Select(c => c.ToLowerInvariant() + ".mp4")]));

        Assert.Equal([expected + ".mp4"], assignment.ByRelativePath.Keys);
    }

    [Fact]
    public void Explicit_video_and_label_columns_are_found_without_regard_to_case()
    {
        using var temp = new TempDirectory();
        var path = WriteCsv(temp, "path,Clip,label,Class", "wrong.mp4,right.mp4,wrong,right");

        var assignment = LabelTable.Load(path, videoColumn: "CLIP", labelColumn: "class").Assign(Catalog("right.mp4", "wrong.mp4"));

        Assert.Equal(new Dictionary<string, string> { ["right.mp4"] = "right" }, TextByPath(assignment));
    }

    [Fact]
    public void Missing_explicit_video_column_is_named_with_the_columns_found()
    {
        using var temp = new TempDirectory();
        var path = WriteCsv(temp, "path,label", "a.mp4,cat");

        var error = Assert.Throws<OptionException>(() => LabelTable.Load(path, videoColumn: "clip"));

        Assert.Equal($"--label-video-column: column 'clip' not in the header of {path} (columns: path, label)", error.Message);
    }

    [Fact]
    public void Header_without_a_video_column_names_the_columns_the_accepted_names_and_the_option()
    {
        using var temp = new TempDirectory();
        var path = WriteCsv(temp, "name,label", "a.mp4,cat");

        var error = Assert.Throws<OptionException>(() => LabelTable.Load(path));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("columns: name, label", error.Message, StringComparison.Ordinal);
        Assert.Contains("path, video, file, filename, video_id, id", error.Message, StringComparison.Ordinal);
        Assert.Contains("--label-video-column", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Header_without_a_label_column_suggests_the_label_column_option()
    {
        using var temp = new TempDirectory();
        var path = WriteCsv(temp, "path,class", "a.mp4,cat");

        var error = Assert.Throws<OptionException>(() => LabelTable.Load(path));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("columns: path, class", error.Message, StringComparison.Ordinal);
        Assert.Contains("--label-column", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_explicit_label_column_is_named_with_the_columns_found()
    {
        using var temp = new TempDirectory();
        var path = WriteCsv(temp, "path,label", "a.mp4,cat");

        var error = Assert.Throws<OptionException>(() => LabelTable.Load(path, labelColumn: "class"));

        Assert.Equal($"--label-column: column 'class' not in the header of {path} (columns: path, label)", error.Message);
    }

    [Fact]
    public void One_column_cannot_be_both_video_and_label()
    {
        using var temp = new TempDirectory();
        var path = WriteCsv(temp, "path,label", "a.mp4,cat");

        var error = Assert.Throws<OptionException>(() => LabelTable.Load(path, labelColumn: "PATH"));

        Assert.Contains("'path' cannot hold both", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_labels_file_is_a_usage_error_naming_it()
    {
        using var temp = new TempDirectory();
        var path = temp.Combine("nope.csv");

        var error = Assert.Throws<OptionException>(() => LabelTable.Load(path));

        Assert.Equal($"labels file not found: {path}", error.Message);
    }

    [Fact]
    public void Empty_labels_file_is_a_usage_error_asking_for_a_header()
    {
        using var temp = new TempDirectory();
        var path = temp.Combine("labels.csv");
        File.WriteAllText(path, "");

        var error = Assert.Throws<OptionException>(() => LabelTable.Load(path));

        Assert.Contains($"labels file {path} is empty", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("c.mp4,", 4, "label")]
    [InlineData(",dog", 4, "path")]
    [InlineData("c.mp4", 4, "label")]
    [InlineData("c.mp4,\"  \"", 4, "label")]
    public void Empty_cells_are_usage_errors_naming_the_file_line_and_column(string row, int line, string column)
    {
        using var temp = new TempDirectory();
        var path = WriteCsv(temp, "path,label", "a.mp4,cat", "", row, "d.mp4,cat");

        var error = Assert.Throws<OptionException>(() => LabelTable.Load(path));

        Assert.Equal($"{path} line {line}: empty cell in column '{column}'", error.Message);
    }

    [Fact]
    public void Numeric_labels_keep_their_value_as_index_and_text_as_written()
    {
        using var temp = new TempDirectory();

        var table = Load(temp, "path,label", "a.mp4,3", "b.mp4,0", "c.mp4,7", "d.mp4,3");

        Assert.Equal([(0, "0"), (3, "3"), (7, "7")], Pairs(table.Labels));
    }

    [Fact]
    public void Text_labels_get_indices_by_ordinal_sort_over_the_whole_csv()
    {
        using var temp = new TempDirectory();

        var table = Load(temp, "path,label", "a.mp4,b", "b.mp4,a", "c.mp4,B");

        Assert.Equal([(0, "B"), (1, "a"), (2, "b")], Pairs(table.Labels));
    }

    [Theory]
    [InlineData("10", "2", "a")]
    [InlineData("-1", "3")]
    [InlineData("+3", "1")]
    [InlineData("1", "2147483648")]
    [InlineData("1", "\u0663")]
    [InlineData("1.5", "2")]
    public void Labels_that_are_not_all_non_negative_ints_are_numbered_as_text(params string[] labels)
    {
        using var temp = new TempDirectory();
        var rows = labels.Select((label, i) => $"v{i}.mp4,{label}");

        var table = Load(temp, ["path,label", .. rows]);

        var sorted = labels.Order(StringComparer.Ordinal).Select((label, i) => (i, label));
        Assert.Equal(sorted, Pairs(table.Labels));
    }

    [Fact]
    public void One_number_written_two_ways_is_a_usage_error()
    {
        using var temp = new TempDirectory();
        var path = WriteCsv(temp, "path,label", "a.mp4,7", "b.mp4,07");

        var error = Assert.Throws<OptionException>(() => LabelTable.Load(path));

        Assert.Contains("'07' and '7' are both class 7", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_label_no_video_matches_still_takes_its_index()
    {
        using var temp = new TempDirectory();
        var table = Load(temp, "path,label", "x.mp4,dog", "y.mp4,cat");

        var assignment = table.Assign(Catalog("x.mp4"));

        Assert.Equal([(0, "cat"), (1, "dog")], Pairs(table.Labels));
        Assert.Equal(new VideoLabel(1, "dog"), assignment.ByRelativePath["x.mp4"]);
    }

    [Theory]
    [InlineData("a/x.mp4", "a/x.mp4")]
    [InlineData("y.avi", "b/y.avi")]
    [InlineData("z", "c/d/z.mkv")]
    [InlineData("a\\x.mp4", "a/x.mp4")]
    [InlineData("c\\d\\z.mkv", "c/d/z.mkv")]
    public void A_row_matches_by_relative_path_file_name_or_file_name_without_extension(string value, string expected)
    {
        using var temp = new TempDirectory();

        var assignment = Load(temp, "path,label", $"{value},cat").Assign(Catalog("a/x.mp4", "b/y.avi", "c/d/z.mkv"));

        Assert.Equal([expected], assignment.ByRelativePath.Keys);
    }

    [Theory]
    [InlineData("/videos/b/y.avi", "b/y.avi")]
    [InlineData("/videos/c/./d/../d/z.mkv", "c/d/z.mkv")]
    public void An_absolute_path_matches_the_video_at_that_full_path(string value, string expected)
    {
        using var temp = new TempDirectory();

        var assignment = Load(temp, "path,label", $"{value},cat", "/elsewhere/a/x.mp4,dog").Assign(Catalog("a/x.mp4", "b/y.avi", "c/d/z.mkv"));

        Assert.Equal([expected], assignment.ByRelativePath.Keys);
        Assert.Equal(["/elsewhere/a/x.mp4"], assignment.UnmatchedRows);
    }

    [Fact]
    public void A_relative_path_match_is_taken_before_file_name_matches_of_the_same_row()
    {
        using var temp = new TempDirectory();

        var assignment = Load(temp, "path,label", "x.mp4,cat").Assign(Catalog("a/x.mp4", "x.mp4"));

        Assert.Equal(["x.mp4"], assignment.ByRelativePath.Keys);
        Assert.Equal(["a/x.mp4"], assignment.Unlabeled.Select(e => e.RelativePath));
    }

    [Fact]
    public void A_file_name_match_is_taken_before_stem_matches_of_the_same_row()
    {
        using var temp = new TempDirectory();

        var assignment = Load(temp, "path,label", "clip,cat").Assign(Catalog("a/clip", "b/clip.mp4"));

        Assert.Equal(["a/clip"], assignment.ByRelativePath.Keys);
    }

    [Theory]
    [InlineData("x,by-stem", "x.mp4,by-name", "a/x.mp4,by-path")]
    [InlineData("a/x.mp4,by-path", "x.mp4,by-name", "x,by-stem")]
    [InlineData("x.mp4,by-name", "a\\x.mp4,by-path", "x,by-stem")]
    public void The_most_precise_of_several_rows_gives_a_video_its_label(params string[] rows)
    {
        using var temp = new TempDirectory();

        var assignment = Load(temp, ["path,label", .. rows]).Assign(Catalog("a/x.mp4"));

        Assert.Equal("by-path", assignment.ByRelativePath["a/x.mp4"].Text);
        Assert.Empty(assignment.UnmatchedRows);
    }

    [Fact]
    public void A_file_name_row_beats_a_stem_row_for_the_same_video()
    {
        using var temp = new TempDirectory();

        var assignment = Load(temp, "path,label", "y,by-stem", "y.mp4,by-name").Assign(Catalog("b/y.mp4"));

        Assert.Equal("by-name", assignment.ByRelativePath["b/y.mp4"].Text);
    }

    [Theory]
    [InlineData("x.mp4", "file name", "a/x.mp4", "b/x.mp4")]
    [InlineData("x", "file name without extension", "a/x.avi", "a/x.mp4")]
    public void A_row_matching_two_videos_is_a_usage_error_naming_both(string value, string how, string first, string second)
    {
        using var temp = new TempDirectory();
        var path = WriteCsv(temp, "path,label", "other.mp4,dog", $"{value},cat");
        var table = LabelTable.Load(path);

        var error = Assert.Throws<OptionException>(() => table.Assign(Catalog(first, second, "other.mp4")));

        Assert.Equal(
            $"{path} line 3: '{value}' matches more than one video by {how} ({first} and {second}); write the video's relative path instead",
            error.Message);
    }

    [Fact]
    public void Identical_duplicate_rows_are_ignored()
    {
        using var temp = new TempDirectory();

        var table = Load(temp, "path,label", "a/x.mp4,cat", "b.mp4,dog", "a\\x.mp4,cat", "b.mp4,dog");
        var assignment = table.Assign(Catalog("a/x.mp4", "b.mp4"));

        Assert.Equal([(0, "cat"), (1, "dog")], Pairs(table.Labels));
        Assert.Equal(new Dictionary<string, string> { ["a/x.mp4"] = "cat", ["b.mp4"] = "dog" }, TextByPath(assignment));
    }

    [Fact]
    public void Conflicting_duplicate_rows_are_a_usage_error_naming_both_lines_and_labels()
    {
        using var temp = new TempDirectory();
        var path = WriteCsv(temp, "path,label", "a/x.mp4,cat", "b.mp4,dog", "a\\x.mp4,bird");

        var error = Assert.Throws<OptionException>(() => LabelTable.Load(path));

        Assert.Equal($"{path}: video 'a/x.mp4' has two labels, 'cat' on line 2 and 'bird' on line 4", error.Message);
    }

    [Fact]
    public void Unlabeled_videos_are_listed_in_catalog_order()
    {
        using var temp = new TempDirectory();

        var assignment = Load(temp, "path,label", "m.mp4,cat").Assign(Catalog("z.mp4", "m.mp4", "a.mp4", "k/b.mp4"));

        Assert.Equal(["z.mp4", "a.mp4", "k/b.mp4"], assignment.Unlabeled.Select(e => e.RelativePath));
    }

    [Fact]
    public void Rows_that_match_no_video_are_listed_as_written_in_file_order()
    {
        using var temp = new TempDirectory();

        var assignment = Load(temp, "path,label", "z.mp4,cat", "a.mp4,cat", "q\\r.mp4,dog", "m.mp4,dog").Assign(Catalog("a.mp4"));

        Assert.Equal(["z.mp4", "q\\r.mp4", "m.mp4"], assignment.UnmatchedRows);
    }

    [Fact]
    public void Quoted_fields_keep_commas_and_non_ascii_text()
    {
        using var temp = new TempDirectory();

        var table = Load(temp, "path,label", "\"clips/a, b.mp4\",\"Ünïcode, 日本\"", "\"say \"\"hi\"\".mp4\",cat");
        var assignment = table.Assign(Catalog("clips/a, b.mp4", "say \"hi\".mp4"));

        Assert.Equal(
            new Dictionary<string, string> { ["clips/a, b.mp4"] = "Ünïcode, 日本", ["say \"hi\".mp4"] = "cat" },
            TextByPath(assignment));
    }

    [Fact]
    public void Fields_are_trimmed_and_columns_not_asked_for_ignored()
    {
        using var temp = new TempDirectory();

        // A row with more cells than the header is refused (HostileCsvTests); columns the header names but no option reads are not.
        var table = Load(temp, " notes , path , label ,more", "first, a.mp4 ,\tcat ,x", ",b.mp4,dog");
        var assignment = table.Assign(Catalog("a.mp4", "b.mp4"));

        Assert.Equal(new Dictionary<string, string> { ["a.mp4"] = "cat", ["b.mp4"] = "dog" }, TextByPath(assignment));
    }

    [Fact]
    public void A_byte_order_mark_and_crlf_line_ends_are_read_as_excel_writes_them()
    {
        using var temp = new TempDirectory();
        var path = temp.Combine("labels.csv");
        File.WriteAllText(path, "path,label\r\na.mp4,cat\r\n", new UTF8Encoding(encoderShouldEmitUTF8Identifier: true));

        var assignment = LabelTable.Load(path).Assign(Catalog("a.mp4"));

        Assert.Equal(new Dictionary<string, string> { ["a.mp4"] = "cat" }, TextByPath(assignment));
    }

    [Fact]
    public void Malformed_quoting_is_a_usage_error_naming_the_file_and_line()
    {
        using var temp = new TempDirectory();
        var path = WriteCsv(temp, "path,label", "a.mp4,cat", "\"b.mp4\"x,dog", "c.mp4,cat");

        var error = Assert.Throws<OptionException>(() => LabelTable.Load(path));

        Assert.StartsWith($"{path}: ", error.Message, StringComparison.Ordinal);
        Assert.Contains("(line 3)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Folder_names_become_labels_numbered_over_all_folders()
    {
        var catalog = Catalog("Run/a.mp4", "Jump/b.mp4", "x/Run/c.mp4", "Jump/d.mp4");

        var table = LabelTable.FromFolders(catalog);
        var assignment = table.Assign(catalog);

        Assert.Equal([(0, "Jump"), (1, "Run")], Pairs(table.Labels));
        Assert.Equal(
            new Dictionary<string, string> { ["Run/a.mp4"] = "Run", ["Jump/b.mp4"] = "Jump", ["x/Run/c.mp4"] = "Run", ["Jump/d.mp4"] = "Jump" },
            TextByPath(assignment));
        Assert.Empty(assignment.Unlabeled);
    }

    [Fact]
    public void Numeric_folder_names_keep_their_value_as_index()
    {
        var table = LabelTable.FromFolders(Catalog("10/a.mp4", "3/b.mp4"));

        Assert.Equal([(3, "3"), (10, "10")], Pairs(table.Labels));
    }

    [Fact]
    public void Folder_labels_need_every_video_inside_a_folder()
    {
        var error = Assert.Throws<OptionException>(() => LabelTable.FromFolders(Catalog("Run/a.mp4", "loose.mp4", "other.mp4")));

        Assert.Contains("--labels-from-folder", error.Message, StringComparison.Ordinal);
        Assert.Contains("loose.mp4 (and 1 more)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Json_lists_labels_by_index_exactly_without_byte_order_mark()
    {
        using var temp = new TempDirectory();
        var table = Load(temp, "path,label", "a.mp4,b", "b.mp4,a");
        var path = temp.Combine("out", "labels.json");
        temp.CreateFolder("out");
        File.WriteAllText(path, "old content that is longer than the new one");

        table.WriteJson(path);

        Assert.Equal("[{\"index\":0,\"text\":\"a\"},{\"index\":1,\"text\":\"b\"}]\n"u8.ToArray(), File.ReadAllBytes(path));
        Assert.Equal(["labels.json"], Directory.EnumerateFileSystemEntries(temp.Combine("out")).Select(Path.GetFileName));
    }

    [Fact]
    public void Json_round_trips_non_ascii_quotes_and_numbers()
    {
        using var temp = new TempDirectory();
        var table = Load(temp, "path,label", "a.mp4,\"café, au lait\"", "b.mp4,日本", "c.mp4,\"say \"\"hi\"\" \\ now\"", "d.mp4,12");
        var path = temp.Combine("labels.json");

        table.WriteJson(path);

        using var json = JsonDocument.Parse(File.ReadAllBytes(path));
        var read = json.RootElement.EnumerateArray().Select(e => (e.GetProperty("index").GetInt32(), e.GetProperty("text").GetString()!));
        Assert.Equal(Pairs(table.Labels), read);
        Assert.Equal(["12", "café, au lait", "say \"hi\" \\ now", "日本"], table.Labels.Select(l => l.Text));
        Assert.Contains("café", File.ReadAllText(path), StringComparison.Ordinal);
    }
}
