## Personal data kept safe: link codes that expire, a limit on wrong /link codes

spec-linkcode-expires = ⏳ Код действует сутки — до { $until }.
spec-link-expired = Срок действия кода истёк: код работает сутки после выдачи. Попросите у администратора новый код. Ничего не изменилось.
spec-link-too-many = Слишком много неверных кодов за последний час. Из соображений безопасности попробуйте снова через { $minutes } мин. или попросите у администратора новый код.
