"""The model cards: ``GET /v1/models`` (every served model) and ``/v1/models/{name}``."""

from fastapi import APIRouter, Depends

from textclass.serve.routes.dependencies import NamedModel, ServiceDep, api_key
from textclass.serve.schema import ModelCard, ModelList, error_responses

router = APIRouter(
    prefix="/v1",
    tags=["models"],
    dependencies=[Depends(api_key)],
    responses=error_responses(401, 429, "default"),
)


@router.get("/models", summary="Every served model's card", response_model=ModelList)
async def list_models(service: ServiceDep) -> dict:
    store = service.store
    return {"default": store.default, "models": [m.card for m in store.models.values()]}


@router.get(
    "/models/{name}",
    summary="One model's card",
    response_model=ModelCard,
    responses=error_responses(404),
)
async def get_model(model: NamedModel) -> dict:
    return model.card
