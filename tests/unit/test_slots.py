"""The per-login slots on their own: order, different limits, and waiters that go away."""

from __future__ import annotations

import asyncio
import threading
import time

from pysmsc._slots import LoginSlots, login_slots


def test_one_login_whatever_the_spelling_and_keys_kept_apart() -> None:
    assert login_slots("Ops", None) is login_slots(" ops ", None)
    assert login_slots(None, "key-1") is not login_slots(None, "key-2")
    assert login_slots("key-1", None) is not login_slots(None, "key-1")


def test_waiters_go_in_arrival_order() -> None:
    slots, order = LoginSlots(), []
    release = threading.Event()

    def holder() -> None:
        with slots.hold(1):
            release.wait()

    def waiter(name: str) -> None:
        with slots.hold(1):
            order.append(name)

    first = threading.Thread(target=holder)
    first.start()
    while slots.busy == 0:
        time.sleep(0.001)
    threads = []
    for name in "abcd":
        thread = threading.Thread(target=waiter, args=(name,))
        thread.start()
        threads.append(thread)
        time.sleep(0.02)  # arrive in this order
    release.set()
    for thread in [first, *threads]:
        thread.join()
    assert order == list("abcd")
    assert slots.busy == 0


def test_a_client_with_a_higher_limit_is_not_held_back_by_a_lower_one() -> None:
    slots = LoginSlots()
    entered = threading.Event()
    kept = [slots.hold(2)]  # entered in a thread, left at the end
    with slots.hold(3), slots.hold(3):  # two in flight
        low = threading.Thread(target=kept[0].__enter__)
        low.start()  # waits: 2 in flight is its limit
        time.sleep(0.05)
        assert slots.busy == 2

        def high() -> None:
            with slots.hold(3):
                entered.set()

        threading.Thread(target=high).start()
        assert entered.wait(2)  # 2 < 3: goes ahead
    low.join(2)
    assert slots.busy == 1  # the low one got its slot when the others left
    kept[0].__exit__(None, None, None)
    assert slots.busy == 0


async def test_an_abandoned_async_waiter_takes_nothing_with_it() -> None:
    slots = LoginSlots()

    async def take(seconds: float) -> None:
        async with slots.hold_async(1):
            await asyncio.sleep(seconds)

    holder = asyncio.create_task(take(0.1))
    await asyncio.sleep(0.01)
    waiting = asyncio.create_task(take(0))
    await asyncio.sleep(0.01)
    waiting.cancel()
    await asyncio.gather(holder, waiting, return_exceptions=True)
    assert slots.busy == 0


def test_a_waiter_whose_loop_closed_gives_the_slot_back() -> None:
    slots = LoginSlots()
    release = threading.Event()
    waiting = threading.Event()

    def in_another_loop() -> None:
        loop = asyncio.new_event_loop()

        async def wait_for_slot() -> None:
            waiting.set()
            async with slots.hold_async(1):
                pass

        task = loop.create_task(wait_for_slot())
        loop.run_until_complete(asyncio.sleep(0.05))  # the task now waits for a slot
        loop.close()  # ...and its loop goes away with it (a closed Home Assistant, say)
        del task

    with slots.hold(1):
        thread = threading.Thread(target=in_another_loop)
        thread.start()
        assert waiting.wait(2)
        thread.join(2)
        release.set()
    assert slots.busy == 0
    with slots.hold(1):  # and the login still works
        assert slots.busy == 1
