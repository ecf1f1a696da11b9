using Video2TfRecord.Conversion.Pipeline;

namespace Video2TfRecord.Tests.Conversion.Pipeline;

public class ReorderWindowTests
{
    [Fact]
    public async Task Items_finished_out_of_order_are_taken_in_order()
    {
        using var window = new ReorderWindow<int>(4);
        for (var i = 0; i < 4; i++)
        {
            await window.EnterAsync(CancellationToken.None);
        }

        foreach (var position in new[] { 3, 1, 0, 2 })
        {
            window.Complete(position, position * 10);
        }

        var taken = new List<int>();
        for (var i = 0; i < 4; i++)
        {
            taken.Add(await window.TakeAsync(i, CancellationToken.None));
        }

        Assert.Equal([0, 10, 20, 30], taken);
    }

    [Fact]
    public async Task No_more_than_the_window_can_be_taken_ahead_of_the_consumer()
    {
        using var window = new ReorderWindow<int>(3);
        for (var i = 0; i < 3; i++)
        {
            await window.EnterAsync(CancellationToken.None);
            window.Complete(i, i);
        }

        // No sleep to "see" that the producers wait: a slot only frees when the consumer takes, so the fourth and fifth
        // producers wait from the start, and one take lets exactly one of them in.
        using var stopFifth = new CancellationTokenSource();
        var fourth = window.EnterAsync(CancellationToken.None);
        var fifth = window.EnterAsync(stopFifth.Token);
        Assert.False(fourth.IsCompleted);
        Assert.False(fifth.IsCompleted);

        Assert.Equal(0, await window.TakeAsync(0, CancellationToken.None));
        await fourth.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.False(fifth.IsCompleted);
        await stopFifth.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => fifth);
        window.Complete(3, 3);
        var rest = new List<int>();
        for (var i = 1; i <= 3; i++)
        {
            rest.Add(await window.TakeAsync(i, CancellationToken.None));
        }

        Assert.Equal([1, 2, 3], rest);
    }

    [Fact]
    public async Task A_failed_item_throws_at_the_consumer()
    {
        using var window = new ReorderWindow<int>(2);
        await window.EnterAsync(CancellationToken.None);
        window.Fail(0, new InvalidOperationException("boom"));

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => window.TakeAsync(0, CancellationToken.None));

        Assert.Equal("boom", error.Message);
    }
}
