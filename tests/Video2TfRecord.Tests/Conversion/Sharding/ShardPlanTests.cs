using Video2TfRecord.Conversion.Sharding;

namespace Video2TfRecord.Tests.Conversion.Sharding;

public class ShardPlanTests
{
    // Catalog as a string: '.' written, 'x' left out (no label); expected shards as "start-end:written,written".
    [Theory]
    [InlineData(".x..xx.", 2, "0-3:0,2 3-7:3,6")]
    [InlineData("x.x.", 1, "0-2:1 2-4:3")]
    [InlineData("....", 2, "0-2:0,1 2-4:2,3")]
    [InlineData(".....", 2, "0-2:0,1 2-4:2,3 4-5:4")]
    [InlineData("xxx", 2, "0-3:")] // nothing written: still one (empty) shard, listing every entry
    [InlineData("", 3, "0-0:")]
    public void Shard_k_writes_videos_k_V_to_k_V_plus_V_and_lists_left_out_entries_before_the_next_video(string catalog, int perFile, string expected)
    {
        var plan = new ShardPlan(catalog.Select(c => c == 'x').ToList(), perFile, (s, n) => $"{s}-of-{n}");

        var shards = Enumerable.Range(0, plan.ShardCount)
            .Select(s => $"{plan.EntriesOf(s).Start}-{plan.EntriesOf(s).End}:{string.Join(",", plan.WrittenOf(s))}");

        Assert.Equal(expected, string.Join(" ", shards));
        Assert.Equal(catalog.Count(c => c == '.'), plan.VideoCount);
        Assert.Equal($"0-of-{plan.ShardCount}", plan.FileName(0));
    }

    // Splits: each its own shards numbered from 0 in their names, numbered across splits for workers and the manifest.
    [Theory]
    [InlineData("test:.. train:.x... val:x", 2, "test 0/1 0-2:0,1|train 0/2 2-5:2,4|train 1/2 5-7:5,6|val 0/1 7-8:")]
    [InlineData("a: b:.", 3, "a 0/1 0-0:|b 0/1 0-1:0")]
    public void Each_split_is_planned_on_its_own_and_every_split_has_a_file(string groups, int perFile, string expected)
    {
        var parts = groups.Split(' ').Select(g => g.Split(':')).ToList();
        var excluded = parts.SelectMany(p => p[1].Select(c => c == 'x')).ToList();
        var plan = new ShardPlan(excluded, parts.Select(p => new ShardGroup(p[0], p[1].Length)).ToList(), perFile, (split, s, n) => $"{split} {s}/{n}");

        var shards = Enumerable.Range(0, plan.ShardCount)
            .Select(s => $"{plan.FileName(s)} {plan.EntriesOf(s).Start}-{plan.EntriesOf(s).End}:{string.Join(",", plan.WrittenOf(s))}");

        Assert.Equal(expected, string.Join("|", shards));
        Assert.Equal(parts.Select(p => p[0]), plan.Groups.Select(g => g.Split));
        Assert.Equal(plan.FileName(plan.ShardCount - 1).Split(' ')[0], plan.SplitOf(plan.ShardCount - 1));
    }
}

