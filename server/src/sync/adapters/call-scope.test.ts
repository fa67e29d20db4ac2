import { callsWithin, noteCall } from './call-scope';

const tick = () => new Promise((resolve) => setTimeout(resolve, 1));

async function calls(count: number): Promise<string> {
    for (let index = 0; index < count; index += 1) {
        await tick();
        noteCall();
    }
    return `${count} calls`;
}

describe('call scopes', () => {
    it('count the calls of each piece of work, however their calls interleave', async () => {
        const [three, five] = await Promise.all([callsWithin(() => calls(3)), callsWithin(() => calls(5))]);
        expect(three).toEqual({ value: '3 calls', calls: 3 });
        expect(five).toEqual({ value: '5 calls', calls: 5 });
    });

    it('nest: the outer scope counts its inner scopes too; a call outside any scope is counted by none', async () => {
        noteCall();
        const outer = await callsWithin(async () => {
            noteCall();
            const inner = await callsWithin(() => calls(2));
            expect(inner.calls).toBe(2);
            return 'done';
        });
        expect(outer).toEqual({ value: 'done', calls: 3 });
    });

    it('count the calls an async generator makes for the page asked for', async () => {
        async function* pages() {
            await calls(2);
            yield 'first';
            await calls(1);
            yield 'second';
        }
        const iterator = pages();
        const first = await callsWithin(() => iterator.next());
        const elsewhere = await callsWithin(() => calls(4));
        const second = await callsWithin(() => iterator.next());
        expect([first.calls, elsewhere.calls, second.calls]).toEqual([2, 4, 1]);
    });
});
