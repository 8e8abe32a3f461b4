from bot.middlewares.profile import ProfileMiddleware

__all__ = ["ProfileMiddleware"]
