"""The reference for the cold-run target: a one-task Prefect flow, run as a whole process like `dtoc run`."""

from prefect import flow, task
from prefect.settings import PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings


@task
def add_one(value: int) -> int:
    return value + 1


@flow(name="one-task-reference")
def one_task_flow() -> int:
    return add_one(1)


if __name__ == "__main__":
    with temporary_settings(updates={PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}):
        print(one_task_flow())
