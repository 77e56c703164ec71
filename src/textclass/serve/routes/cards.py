"""The model cards: ``GET /v1/models`` (every served model) and ``/v1/models/{name}``."""

from fastapi import APIRouter, Depends

from textclass.serve.routes.dependencies import NamedModel, ServiceDep, api_key

router = APIRouter(prefix="/v1", tags=["models"], dependencies=[Depends(api_key)])


@router.get("/models", summary="Every served model's card")
async def list_models(service: ServiceDep) -> dict:
    store = service.store
    return {"default": store.default, "models": [m.card for m in store.models.values()]}


@router.get("/models/{name}", summary="One model's card")
async def get_model(model: NamedModel) -> dict:
    return model.card
