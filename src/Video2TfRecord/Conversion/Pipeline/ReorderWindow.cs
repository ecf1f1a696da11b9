namespace Video2TfRecord.Conversion.Pipeline;

/// <summary>
/// Lets workers finish items in any order while one consumer takes them in order, with at most <c>size</c> items
/// taken but not yet consumed: memory stays bounded by the window, however many items there are.
/// </summary>
/// <remarks>
/// A worker calls <see cref="EnterAsync"/> before taking the next position and <see cref="Complete"/> or
/// <see cref="Fail"/> after; the consumer calls <see cref="TakeAsync"/> for positions 0, 1, 2, … in order. Because a
/// worker can only take position p once p − size has been consumed, slot p mod size is always free for it.
/// </remarks>
internal sealed class ReorderWindow<T> : IDisposable
{
    private readonly TaskCompletionSource<T>[] _slots;
    private readonly SemaphoreSlim _free;

    public ReorderWindow(int size)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        _slots = new TaskCompletionSource<T>[size];
        for (var i = 0; i < size; i++)
        {
            _slots[i] = NewSlot();
        }

        _free = new SemaphoreSlim(size, size);
    }

    /// <summary>Waits until taking one more position keeps the window bounded.</summary>
    public Task EnterAsync(CancellationToken cancellationToken) => _free.WaitAsync(cancellationToken);

    /// <summary>Gives back an entry that was not used (the worker found no position left).</summary>
    public void Leave() => _free.Release();

    public void Complete(long position, T value) => Slot(position).SetResult(value);

    public void Fail(long position, Exception error) => Slot(position).SetException(error);

    /// <summary>Waits for <paramref name="position"/>, then frees its slot for position + size.</summary>
    public async Task<T> TakeAsync(long position, CancellationToken cancellationToken)
    {
        var slot = Slot(position);
        var value = await slot.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        _slots[position % _slots.Length] = NewSlot();
        _free.Release();
        return value;
    }

    public void Dispose() => _free.Dispose();

    private TaskCompletionSource<T> Slot(long position) => _slots[position % _slots.Length];

    private static TaskCompletionSource<T> NewSlot() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
