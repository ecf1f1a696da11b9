using Video2TfRecord.Conversion;
using Video2TfRecord.Tests.Fixtures;

namespace Video2TfRecord.Tests.Conversion;

public class InputCatalogTests
{
    private static void Touch(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, [0]);
    }

    [Fact]
    public void Folders_are_walked_recursively_sorted_ordinally_with_default_extensions()
    {
        using var temp = new TempDirectory();
        Touch(temp.Combine("root", "b", "z.MP4"));
        Touch(temp.Combine("root", "a.avi"));
        Touch(temp.Combine("root", "B.webm"));
        Touch(temp.Combine("root", "notes.txt"));
        Touch(temp.Combine("root", ".hidden", "x.mp4"));
        Touch(temp.Combine("root", ".y.mp4"));

        var catalog = InputCatalog.Build([temp.Combine("root")], []);

        Assert.Equal(["B.webm", "a.avi", "b/z.MP4"], catalog.Select(e => e.RelativePath));
        Assert.Equal(["B", "a", "b/z"], catalog.Select(e => e.Id));
    }

    [Fact]
    public void Symlinked_folders_are_not_followed()
    {
        using var temp = new TempDirectory();
        Touch(temp.Combine("root", "real", "a.mp4"));
        Directory.CreateSymbolicLink(temp.Combine("root", "link"), temp.Combine("root", "real"));

        var catalog = InputCatalog.Build([temp.Combine("root")], []);

        Assert.Equal(["real/a.mp4"], catalog.Select(e => e.RelativePath));
    }

    [Fact]
    public void Videos_whose_paths_differ_only_in_the_extension_keep_it_in_their_ids()
    {
        using var temp = new TempDirectory();
        Touch(temp.Combine("root", "a", "b.avi"));
        Touch(temp.Combine("root", "a", "b.mp4"));
        Touch(temp.Combine("root", "a", "c.mp4"));

        var catalog = InputCatalog.Build([temp.Combine("root")], []);

        Assert.Equal(["a/b.avi", "a/b.mp4", "a/c"], catalog.Select(e => e.Id));
    }

    [Fact]
    public void A_backslash_in_a_file_name_stays_in_its_id_and_meets_no_folder()
    {
        using var temp = new TempDirectory();
        Touch(temp.Combine("root", "a", "b.mp4"));
        Touch(temp.Combine("root", "a\\b.mp4"));

        var catalog = InputCatalog.Build([temp.Combine("root")], []);

        Assert.Equal(["a/b", "a\\b"], catalog.Select(e => e.Id).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Ids_that_stay_shared_after_keeping_extensions_are_refused_naming_both_files()
    {
        using var temp = new TempDirectory();
        Touch(temp.Combine("root", "b.avi"));
        Touch(temp.Combine("root", "b.mp4"));
        Touch(temp.Combine("root", "b.avi.mkv"));

        var error = Assert.Throws<OptionException>(() => InputCatalog.Build([temp.Combine("root")], []));

        Assert.Equal($"two videos would get the id 'b.avi': {temp.Combine("root", "b.avi")} and {temp.Combine("root", "b.avi.mkv")}; rename one of them or leave one out with --pattern", error.Message);
    }

    [Fact]
    public void Patterns_replace_the_default_extensions()
    {
        using var temp = new TempDirectory();
        Touch(temp.Combine("root", "a.mp4"));
        Touch(temp.Combine("root", "b.avi"));
        Touch(temp.Combine("root", "c.bin"));

        var catalog = InputCatalog.Build([temp.Combine("root")], ["*.bin", "?.avi"]);

        Assert.Equal(["b.avi", "c.bin"], catalog.Select(e => e.RelativePath));
    }

    [Fact]
    public void Files_named_explicitly_are_taken_whatever_their_extension_and_duplicates_drop()
    {
        using var temp = new TempDirectory();
        Touch(temp.Combine("clip.data"));

        var catalog = InputCatalog.Build([temp.Combine("clip.data"), temp.Combine("clip.data")], []);

        Assert.Equal(["clip.data"], catalog.Select(e => e.RelativePath));
        Assert.Equal("clip", catalog[0].Id);
    }

    [Fact]
    public void Two_files_with_one_relative_path_are_refused_naming_both()
    {
        using var temp = new TempDirectory();
        Touch(temp.Combine("x", "clip.mp4"));
        Touch(temp.Combine("y", "clip.mp4"));

        var error = Assert.Throws<OptionException>(() => InputCatalog.Build([temp.Combine("x"), temp.Combine("y")], []));

        Assert.Contains(temp.Combine("x", "clip.mp4"), error.Message, StringComparison.Ordinal);
        Assert.Contains(temp.Combine("y", "clip.mp4"), error.Message, StringComparison.Ordinal);
    }
}
